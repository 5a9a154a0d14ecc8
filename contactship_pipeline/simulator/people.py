"""Fake personal data: names, E.164 numbers and emails that belong to nobody.

Numbers use ranges kept for fiction (North American 555-01xx, UK 07700 900xxx), and
every email is at example.com.
"""

import random

from contactship_pipeline.simulator.draws import Weighted, new_uuid

FIRST_NAMES = (
    "Jane", "Omar", "Lucia", "Wei", "Priya", "Mateo", "Amara", "Jonas", "Sofia", "Kenji",
    "Grace", "Diego", "Hannah", "Ravi", "Chloe", "Samuel", "Ines", "Tariq", "Mia", "Liam",
    "Noor", "Elena", "Kwame", "Yuki", "Rosa", "Felix", "Aisha", "Marco", "Leah", "Andre",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Haddad", "Garcia", "Chen", "Patel", "Rossi", "Okafor", "Berg", "Silva", "Tanaka",
    "Brown", "Lopez", "Kim", "Nguyen", "Murphy", "Cohen", "Dubois", "Khan", "Novak", "Reyes",
    "Walker", "Moreau", "Mensah", "Ito", "Santos", "Weber", "Ali", "Ricci", "Fischer", "Diaz",
)  # fmt: skip

_COUNTRIES = Weighted({"US": 80, "CA": 10, "GB": 5, "MX": 5})
_AREA_CODES = {
    "US": ("202", "212", "305", "312", "415", "512", "617", "702", "808", "917"),
    "CA": ("416", "514", "604"),
}


def phone_number(rng: random.Random, country: str = "US") -> str:
    """An E.164 number in a range reserved for fiction in `country`."""
    if country == "GB":
        return f"+447700900{rng.randrange(1000):03d}"
    if country == "MX":
        return f"+5255555501{rng.randrange(100):02d}"
    area = rng.choice(_AREA_CODES.get(country, _AREA_CODES["US"]))
    return f"+1{area}55501{rng.randrange(100):02d}"


def contact(rng: random.Random) -> dict:
    """A contact object shaped like the vendor page's example."""
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    country = _COUNTRIES.pick(rng)
    # Two people share a name now and then; a number suffix keeps their emails apart.
    suffix = str(rng.randrange(100)) if rng.random() < 0.3 else ""
    return {
        "id": new_uuid(rng),
        "full_name": f"{first} {last}",
        "phone_number": phone_number(rng, country),
        "email": f"{first}.{last}{suffix}@example.com".lower(),
        "country": country,
    }

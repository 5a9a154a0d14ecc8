"""Deterministic calls: the same seed and dates always give byte-identical records.

Each day draws from its own `random.Random(f"{seed}-{day}")`, so a day's calls do not
depend on which other days were asked for, or in which order.
"""

import copy
import random
from datetime import UTC, date, datetime, time, timedelta

from contactship_pipeline.simulator import outcomes, people
from contactship_pipeline.simulator.draws import Weighted, new_uuid
from contactship_pipeline.simulator.timestamps import (
    format_timestamp,
    fraction_for,
    parse_timestamp,
    pick_style,
)

# The vendor page's own example, field for field; it is in every store.
EXAMPLE_CALL = {
    "id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
    "direction": "outbound",
    "from": "+12025551234",
    "call_record": "https://api.contactship.ai/recordings/a1b2c3d4.mp3",
    "call_status": "completed",
    "call_result": "answered",
    "disconnection_reason": "agent_hangup",
    "finished_at": "2026-03-15T14:35:22Z",
    "start_at": "2026-03-15T14:30:05Z",
    "duration": 317,
    "call_analysis": {
        "summary": "Customer expressed interest in the premium plan and requested a demo.",
        "sentiment": "positive",
    },
    "type": "ai_call",
    "created_at": "2026-03-15T14:30:00Z",
    "agent_id": "f1e2d3c4-b5a6-7890-1234-567890abcdef",
    "campaign_id": None,
    "contact": {
        "id": "c1d2e3f4-a5b6-7890-cdef-123456789012",
        "full_name": "Jane Smith",
        "phone_number": "+14155552678",
        "email": "jane.smith@example.com",
        "country": "US",
    },
}
EXAMPLE_DAY = date(2026, 3, 15)
DAY_SECONDS = 86_400
# Calls created this close to the end of the most recent day may still be running at midnight.
STILL_RUNNING_WINDOW = 2 * 3600
_TYPES = Weighted({"ai_call": 90, "phone_call": 7, "web_call": 3})


class CallGenerator:
    """Makes the calls of each day for one seed and date range.

    Args:
        seed: any value; its text form seeds every generator.
        start_date: first UTC day with generated calls.
        end_date: last UTC day with generated calls (its late calls may be non-terminal).
        calls_per_day: generated calls per day, the example call not counted.
    """

    def __init__(self, seed: object, start_date: date, end_date: date, calls_per_day: int):
        if end_date < start_date:
            raise ValueError(f"end_date {end_date} is before start_date {start_date}")
        if calls_per_day < 0:
            raise ValueError(f"calls_per_day must be >= 0, not {calls_per_day}")
        self.seed = seed
        self.start_date = start_date
        self.end_date = end_date
        self.calls_per_day = calls_per_day
        profile = random.Random(f"{seed}-profile")
        # The example's agent is one of ours, so filtering by it finds more than one call.
        self.agent_ids = [EXAMPLE_CALL["agent_id"]]
        self.agent_ids += [new_uuid(profile) for _ in range(profile.randint(2, 5))]
        self.campaign_ids = [new_uuid(profile) for _ in range(profile.randint(2, 4))]
        self.caller_ids = [people.phone_number(profile) for _ in range(3)]

    def days(self) -> list[date]:
        """Every day that holds calls before any change: the range and the example's day."""
        count = (self.end_date - self.start_date).days + 1
        days = {self.start_date + timedelta(days=offset) for offset in range(count)}
        return sorted(days | {EXAMPLE_DAY})

    def calls_for(self, day: date) -> list[dict]:
        """The day's calls in creation order (the example call included on its day)."""
        calls = []
        if self.start_date <= day <= self.end_date:
            calls = self._generate_day(day)
        if day == EXAMPLE_DAY:
            calls.append(copy.deepcopy(EXAMPLE_CALL))
        return calls

    def late_call(self, day: date, number: int) -> dict:
        """A completed call created on `day` that shows up only after the day was read.

        Args:
            day: the UTC day of its `created_at`.
            number: how many late calls that day already has, so each one differs.
        """
        rng = random.Random(f"{self.seed}-{day.isoformat()}-late-{number}")
        created = _day_start(day) + timedelta(seconds=rng.randrange(DAY_SECONDS))
        return self._call(rng, created, "completed")

    def completed(self, call: dict) -> dict:
        """The same call once it has finished: answered, timed and analysed."""
        rng = random.Random(f"{self.seed}-{call.get('id')}-completed")
        created = parse_timestamp(call.get("created_at")) or datetime.now(UTC)
        finished = dict(call)
        finished.update(outcomes.outcome(rng, "completed", created, "z"))
        if call.get("start_at"):
            # A call already running keeps its start; only the end is new.
            finished["start_at"] = call["start_at"]
            start = parse_timestamp(call["start_at"]) or created
            end = start + timedelta(seconds=finished["duration"])
            finished["finished_at"] = format_timestamp(end, "micro")
        finished["call_record"] = _recording_url(str(finished.get("id")))
        return finished

    def _generate_day(self, day: date) -> list[dict]:
        rng = random.Random(f"{self.seed}-{day.isoformat()}")
        offsets = sorted(rng.randrange(DAY_SECONDS) for _ in range(self.calls_per_day))
        is_latest = day == self.end_date
        calls = []
        for index, offset in enumerate(offsets):
            status = outcomes.terminal_status(rng)
            if is_latest and offset >= DAY_SECONDS - STILL_RUNNING_WINDOW:
                if index == len(offsets) - 1:
                    status = "in-progress"
                elif rng.random() < 0.3:
                    status = rng.choice(outcomes.NON_TERMINAL_STATUSES)
            calls.append(self._call(rng, _day_start(day) + timedelta(seconds=offset), status))
        return calls

    def _call(self, rng: random.Random, created: datetime, status: str) -> dict:
        style = pick_style(rng)
        created = created + timedelta(microseconds=fraction_for(style, rng))
        call_id = new_uuid(rng)
        direction = "outbound" if rng.random() < 0.7 else "inbound"
        contact = people.contact(rng)
        ended = outcomes.outcome(rng, status, created, style)
        answered = ended["call_result"] in ("answered", "voicemail")
        if direction == "inbound":
            caller, campaign_id = contact["phone_number"], None
            contact = None if rng.random() < 0.03 else contact
        else:
            caller = rng.choice(self.caller_ids)
            campaign_id = rng.choice(self.campaign_ids) if rng.random() < 0.9 else None
        return {
            "id": call_id,
            "direction": direction,
            "from": caller,
            "call_record": _recording_url(call_id) if answered else None,
            "call_status": ended["call_status"],
            "call_result": ended["call_result"],
            "disconnection_reason": ended["disconnection_reason"],
            "finished_at": ended["finished_at"],
            "start_at": ended["start_at"],
            "duration": ended["duration"],
            "call_analysis": ended["call_analysis"],
            "type": _TYPES.pick(rng),
            "created_at": format_timestamp(created, style),
            "agent_id": rng.choice(self.agent_ids),
            "campaign_id": campaign_id,
            "contact": contact,
        }


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _recording_url(call_id: str) -> str:
    return f"https://api.contactship.ai/recordings/{call_id[:8]}.mp3"

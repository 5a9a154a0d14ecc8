"""The filters and include flags sent with every page request, checked before any is sent."""

from dataclasses import dataclass

from contactship_pipeline.api.contract import check_filters
from contactship_pipeline.api.errors import ContactshipConfigError


@dataclass(frozen=True)
class CallFilters:
    """Filters and include flags sent with every page request."""

    call_status: str | None = None
    call_result: str | None = None
    agent_id: str | None = None
    campaign_id: str | None = None
    phone_number: str | None = None
    include_transcript: bool = False
    include_words: bool = False
    include_tools: bool = False
    transcript_format: str = "json"

    def check(self) -> None:
        """Raise ContactshipConfigError naming every filter the API would reject."""
        problems = check_filters(
            self.call_status,
            self.call_result,
            self.agent_id,
            self.campaign_id,
            self.phone_number,
            self.transcript_format,
        )
        if self.include_words and not self.include_transcript:
            problems.append("include_words needs include_transcript")
        if problems:
            raise ContactshipConfigError("Invalid Contactship filter: " + "; ".join(problems))

    def params(self) -> dict[str, str]:
        params = {
            "call_status": self.call_status,
            "call_result": self.call_result,
            "agent_id": self.agent_id,
            "campaign_id": self.campaign_id,
            "phoneNumber": self.phone_number,
        }
        query = {name: value for name, value in params.items() if value is not None}
        for flag in ("include_transcript", "include_words", "include_tools"):
            if getattr(self, flag):
                query[flag] = "true"
        if self.include_transcript or self.include_tools:
            query["transcript_format"] = self.transcript_format
        return query

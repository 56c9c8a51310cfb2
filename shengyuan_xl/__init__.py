"""shengyuan-xl: the yearly graduate origin-information check (生源信息采集核对).

The public API: load a campaign's rules, validate a workbook file or neutral
sheet views, and read the findings.
"""

from .core.campaign import Campaign, load_campaign
from .core.findings import Finding, Severity
from .core.report import Report
from .core.sheet import SheetView
from .core.validate import validate
from .errors import RulesError, ShengyuanError, UnusableFileError
from .workbook_validation import validate_workbook

__version__ = "0.1.0"

__all__ = [
    "Campaign",
    "Finding",
    "Report",
    "RulesError",
    "Severity",
    "SheetView",
    "ShengyuanError",
    "UnusableFileError",
    "load_campaign",
    "validate",
    "validate_workbook",
]

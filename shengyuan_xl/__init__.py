"""shengyuan-xl: the yearly graduate origin-information check (生源信息采集核对).

The public API: load a campaign's rules, validate a workbook file or neutral
sheet views, and read the findings.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core.campaign import Campaign, load_campaign
    from .core.findings import Finding, Severity
    from .core.report import Report
    from .core.sheet import SheetView
    from .core.validate import validate
    from .errors import RulesError, ShengyuanError, UnusableFileError
    from .workbook_validation import validate_workbook

# Imported on first use (PEP 562), so that `shengyuan --help` or a command that needs
# none of them does not pay for openpyxl and the rules at start-up.
_PUBLIC = {
    "Campaign": ".core.campaign",
    "load_campaign": ".core.campaign",
    "Finding": ".core.findings",
    "Severity": ".core.findings",
    "Report": ".core.report",
    "SheetView": ".core.sheet",
    "validate": ".core.validate",
    "RulesError": ".errors",
    "ShengyuanError": ".errors",
    "UnusableFileError": ".errors",
    "validate_workbook": ".workbook_validation",
}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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

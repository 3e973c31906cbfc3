"""asn_match: merit-based placement of civil servants."""

__version__ = "0.1.0"

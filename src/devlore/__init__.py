"""devlore: an MCP server that keeps an AI assistant's memory as plain, human-editable markdown."""

__version__ = "0.1.0"
__all__ = ["__version__"]

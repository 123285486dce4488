"""Wiring devlore into MCP hosts: their configuration files (``devlore setup``) and Claude Code's
hooks settings. Nothing here imports the MCP SDK."""

from devlore.hosts.config import ConfigError
from devlore.hosts.hosts import HOSTS, Launch, Place
from devlore.hosts.setup import Outcome, found_hosts, setup_host

__all__ = ["HOSTS", "ConfigError", "Launch", "Outcome", "Place", "found_hosts", "setup_host"]

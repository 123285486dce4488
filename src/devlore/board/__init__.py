"""The brain board: a read-only web page of what the brain has learned (``devlore board``, and
``/board`` under ``serve --http``). Pages are rendered on the server with escaping as the
default (``markup``), charts are server-rendered SVG (``charts``), and the watcher pushes
live updates as server-sent events (``live``). It reads through the services; nothing below
it imports it."""

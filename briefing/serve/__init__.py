"""`briefing serve`: every brief as a URL, rebuilt when its content changed.

`create_app()` is a standard WSGI application (gunicorn, uvicorn --interface wsgi …);
`serve()` runs it under waitress. The server knows briefs only through `build`.
"""

from .app import BriefingApp, create_app
from .server import serve

__all__ = ["BriefingApp", "create_app", "serve"]

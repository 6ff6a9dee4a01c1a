"""Operation handlers, one module per endpoint family. Importing this package registers them."""

from mock_server.handlers import configuration
from mock_server.handlers.base import HANDLERS, Context, Handler, Success, UploadedFile, handler

__all__ = ["HANDLERS", "Context", "Handler", "Success", "UploadedFile", "configuration", "handler"]

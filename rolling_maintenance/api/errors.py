"""One error type for the reply API, rendered as `{"error": {"code", "message"}}`."""

# A message quotes what was sent; a 1 MB value is not worth echoing in full.
MAX_MESSAGE_CHARS = 500


class ApiError(Exception):
    """An answer other than success: HTTP `status`, a stable `code`, a readable `message`."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS - 3] + "..."
        self.message = message

    def body(self):
        return {"error": {"code": self.code, "message": self.message}}


def bad_request(message):
    return ApiError(400, "bad_request", message)


def conflict(message):
    return ApiError(409, "conflict", message)


def not_found(message):
    return ApiError(404, "not_found", message)

"""Background halves of the acquisitions verbs (huey): notices to patrons after commit."""
from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=60)
def send_request_notice(request_id: int, kind: str) -> int:
    """Tell the patron what became of their purchase suggestion (received, on_shelf, declined)."""
    from . import notices

    return len(notices.send_request_notice(request_id, kind))

"""Space photos go through core.images: a real photo is stored upright without EXIF; anything else is refused in Thai."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1200), (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_staff_upload_a_photo_of_a_space(site, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(site.staff)
    upload = SimpleUploadedFile("desk.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(f"/staff/spaces/spaces/{site.desk.pk}/photo/", {"photo": upload})
    assert response.status_code == 302
    site.desk.refresh_from_db()
    stored = Image.open(site.desk.photo.path)
    assert max(stored.size) == 1600 and not stored.getexif()


def test_a_file_that_is_not_a_photo_is_refused_with_a_thai_message(site, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(site.staff)
    upload = SimpleUploadedFile("notes.jpg", b"not an image", content_type="image/jpeg")
    page = client.post(f"/staff/spaces/spaces/{site.desk.pk}/photo/", {"photo": upload}, follow=True)
    site.desk.refresh_from_db()
    assert not site.desk.photo
    assert "notes.jpg" in page.content.decode()

"""Photos: the one check and preparation of uploaded images (docs/architecture.md, Cross-cutting
mechanisms): space and activity photos, audit and works photos, complaint photos.

``prepare_photo`` reads an upload with Pillow, refuses what is not a JPEG, PNG or WebP image (or is
too large, or has too many pixels) with a Thai message naming the file, turns it upright by its
EXIF orientation, shrinks it to fit ``max_side`` and saves it as JPEG (PNG when it has
transparency). The GPS position and the time taken are read from EXIF first and returned, so the
app stores them as fields; the saved file carries no EXIF (no phone serial or owner name is
published). ``PhotoField`` is the form field that does this in ``clean``.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from .exceptions import InvalidInput

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; more is a decompression bomb, not a photo
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: JPEG from many phone cameras
GPS_IFD = 0x8825
EXIF_IFD = 0x8769


class PhotoRefused(InvalidInput):
    code = "photo_refused"


@dataclass(frozen=True)
class Photo:
    """A prepared photo: the file to store and what was read from it."""

    content: ContentFile
    width: int
    height: int
    latitude: float | None = None
    longitude: float | None = None
    taken_at: datetime | None = None


def _rational(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return float(value[0]) / float(value[1])


def _degrees(dms, ref) -> float | None:
    try:
        d, m, s = (_rational(x) for x in dms)
    except (TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    value = d + m / 60 + s / 3600
    if str(ref).upper() in ("S", "W"):
        value = -value
    return round(value, 7)


def exif_location(image: Image.Image) -> tuple[float | None, float | None]:
    """Return the (latitude, longitude) in the image's EXIF, or (None, None)."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # noqa: BLE001 - broken EXIF is common in real photos: no location, not a refusal
        return None, None
    if not gps:
        return None, None
    tags = {ExifTags.GPSTAGS.get(k, k): v for k, v in gps.items()}
    if "GPSLatitude" not in tags or "GPSLongitude" not in tags:
        return None, None
    lat = _degrees(tags["GPSLatitude"], tags.get("GPSLatitudeRef", "N"))
    lng = _degrees(tags["GPSLongitude"], tags.get("GPSLongitudeRef", "E"))
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None, None
    return lat, lng


def exif_taken_at(image: Image.Image) -> datetime | None:
    """Return the naive local time the photo was taken (EXIF DateTimeOriginal), or None."""
    try:
        raw = image.getexif().get_ifd(EXIF_IFD).get(0x9003) or image.getexif().get(0x0132)
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S") if raw else None
    except Exception:  # noqa: BLE001 - see exif_location
        return None


def prepare_photo(upload, *, max_side: int = 1600, max_bytes: int = MAX_UPLOAD_BYTES, quality: int = 85) -> Photo:
    """Check and prepare an uploaded photo; raise PhotoRefused with a specific Thai message."""
    name = getattr(upload, "name", "") or _("the file")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise PhotoRefused(_("{name} is {size}; a photo may be at most {limit}."), field="photo",
                           name=name, size=filesizeformat(size), limit=filesizeformat(max_bytes))
    if size == 0:
        raise PhotoRefused(_("{name} is empty."), field="photo", name=name)
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            pixels = probe.width * probe.height
            probe.verify()
        if kind not in ACCEPTED_FORMATS:
            raise PhotoRefused(_("{name} is a {kind} image; send a JPEG, PNG or WebP photo."), field="photo",
                               name=name, kind=kind or "?")
        if pixels > MAX_PIXELS:
            raise PhotoRefused(_("{name} has too many pixels to be a photo."), field="photo", name=name)
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            latitude, longitude = exif_location(image)
            taken_at = exif_taken_at(image)
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
            out = io.BytesIO()
            if has_alpha:
                image.save(out, "PNG", optimize=True)
                ext = "png"
            else:
                image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True, progressive=True)
                ext = "jpg"
            width, height = image.size
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRefused(_("{name} is not a photo this site can read (JPEG, PNG or WebP)."), field="photo",
                           name=name) from None
    stem = str(name).rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "photo"
    return Photo(ContentFile(out.getvalue(), name=f"{stem}.{ext}"), width, height, latitude, longitude, taken_at)


class PhotoField(forms.FileField):
    """A form field whose cleaned value is a prepared ``Photo`` (see ``prepare_photo``)."""

    def __init__(self, *args, max_side: int = 1600, max_bytes: int = MAX_UPLOAD_BYTES, **kwargs):
        self.max_side, self.max_bytes = max_side, max_bytes
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        data = super().to_python(data)  # FileField's checks: a file with a name and a size
        if data is None:
            return None
        try:
            return prepare_photo(data, max_side=self.max_side, max_bytes=self.max_bytes)
        except PhotoRefused as exc:
            raise forms.ValidationError(exc.text, code=exc.code) from None


"""Demo data of the public website (run by ``seed_demo``): a few news posts, labelled as demo."""
from datetime import timedelta

from django.utils import timezone

from bkklib.network.models import Branch

from .models import NewsPost

POSTS = [
    {
        "slug": "demo-storytelling-saturdays",
        "title_th": "[ข้อมูลสาธิต] เปิดโลกนิทาน ทุกวันเสาร์",
        "title_en": "[Demo] Storytelling every Saturday",
        "body_th": "ชวนน้อง ๆ และผู้ปกครองมาฟังนิทานกับบรรณารักษ์ทุกวันเสาร์ เวลา 10.00 น.\n\n"
                   "ไม่มีค่าใช้จ่าย ไม่ต้องลงทะเบียนล่วงหน้า (ข่าวนี้เป็นข้อมูลสาธิตของระบบ)",
        "body_en": "Children and parents are welcome to storytelling with our librarians every Saturday at 10.00.\n\n"
                   "Free, no registration needed. (This post is demo data.)",
        "hashtags": "เปิดโลกนิทาน ห้องสมุดกรุงเทพ",
        "days_ago": 1,
        "kind": Branch.Kind.CITY_LIBRARY,
    },
    {
        "slug": "demo-thai-language-day",
        "title_th": "[ข้อมูลสาธิต] กิจกรรมวันภาษาไทยแห่งชาติ 29 กรกฎาคม",
        "title_en": "",
        "body_th": "ห้องสมุดเพื่อการเรียนรู้กรุงเทพมหานครจัดกิจกรรมคัดลายมือและประกวดอ่านออกเสียง "
                   "เนื่องในวันภาษาไทยแห่งชาติ\n\n(ข่าวนี้เป็นข้อมูลสาธิตของระบบ)",
        "body_en": "",
        "hashtags": "วันภาษาไทย อ่านเปลี่ยนโลก",
        "days_ago": 4,
        "kind": Branch.Kind.PUBLIC_LIBRARY,
    },
    {
        "slug": "demo-read-and-learn-festival",
        "title_th": "[ข้อมูลสาธิต] เทศกาลการอ่านและการเรียนรู้ เดือนมีนาคม",
        "title_en": "[Demo] Read & Learn Festival in March",
        "body_th": "เดือนมีนาคมเป็นเดือนแห่งการอ่านของกรุงเทพมหานคร พบกิจกรรมในห้องสมุดทุกแห่ง\n\n"
                   "(ข่าวนี้เป็นข้อมูลสาธิตของระบบ)",
        "body_en": "March is Bangkok's reading month: activities in every library.\n\n(This post is demo data.)",
        "hashtags": "BangkokReadAndLearn อ่านเปลี่ยนโลก",
        "days_ago": 9,
        "kind": None,
    },
]


def run(*, stdout=None, scale: float = 1.0) -> None:
    """Create the demo news posts once (idempotent by slug)."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for spec in POSTS:
        spec = dict(spec)
        days_ago, kind = spec.pop("days_ago"), spec.pop("kind")
        branch = Branch.objects.filter(kind=kind).order_by("code").first() if kind else None
        _post, was_created = NewsPost.objects.get_or_create(
            slug=spec["slug"],
            defaults={**spec, "branch": branch, "status": NewsPost.Status.PUBLISHED,
                      "publish_at": now - timedelta(days=days_ago), "is_demo": True},
        )
        created += was_created
    if stdout:
        stdout.write(f"  opac: {created} demo news posts created")

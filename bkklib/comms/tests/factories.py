"""Helpers of the comms tests: a post through the real services, moved as far as a test needs."""
from datetime import datetime

from bkklib.comms import services


def write(team, channels, *, title="นิทานยามเช้าวันเสาร์", text="ชวนน้อง ๆ มาฟังนิทานที่ห้องสมุดบางเขน",
          link="https://library.bangkok.example/events/1/", hashtags="ห้องสมุด สนส", variants=None, **kw):
    return services.save_post(by=team.author, title=title, text=text, link=link, hashtags=hashtags,
                              branch=team.branch, channels=list(channels), variants=variants or {}, **kw)


def scheduled(team, channels, *, at: datetime, now: datetime | None = None, **kw):
    post = write(team, channels, **kw)
    services.act(post=post, action="submit", by=team.author, now=now)
    return services.act(post=post, action="approve", by=team.reviewer, publish_at=at, now=now)

"""Public website URLs (stable: people bookmark and share them) and the staff news pages.

This module is included at "" after every other include, so ``staff/news/`` here resolves as
/staff/news/ (the network app's /staff/ include has no catch-all).
"""
from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import account_views, catalog_views, news, staff_news, views
from .sitemaps import SITEMAPS

app_name = "opac"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", catalog_views.search, name="search"),
    path("records/<int:record_id>/", catalog_views.record_detail, name="record"),
    path("records/<int:record_id>/hold/", account_views.place_hold, name="record-hold"),
    path("account/", account_views.home, name="account"),
    path("account/sign-out/", account_views.sign_out, name="account-sign-out"),
    path("account/card/", account_views.card, name="account-card"),
    path("account/loans/<int:loan_id>/renew/", account_views.renew, name="account-renew"),
    path("account/holds/<int:hold_id>/cancel/", account_views.cancel_hold, name="account-hold-cancel"),
    path("account/holds/<int:hold_id>/pickup/", account_views.change_pickup, name="account-hold-pickup"),
    path("account/history/", account_views.history, name="account-history"),
    path("account/preferences/", account_views.preferences, name="account-preferences"),
    path("account/privacy/", account_views.privacy, name="account-privacy"),
    path("account/privacy/my-data.json", account_views.export_data, name="account-export"),
    path("account/pin/", account_views.pin_reset, name="pin-reset"),
    path("account/pin/confirm/", account_views.pin_reset_confirm, name="pin-reset-confirm"),
    path("account/register/", account_views.register, name="register"),
    path("libraries/", views.library_list, name="libraries"),
    path("libraries/<slug:code>/", views.library_detail, name="library-detail"),
    path("news/", news.news_list, name="news"),
    path("news/feed/", news.news_feed, name="news-feed"),
    path("news/feed/atom/", news.news_feed_atom, name="news-feed-atom"),
    path("news/<slug:slug>/", news.news_detail, name="news-detail"),
    path("about/", views.info_page, {"slug": "about"}, name="about"),
    path("contact/", views.info_page, {"slug": "contact"}, name="contact"),
    path("membership/", views.info_page, {"slug": "membership"}, name="membership"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "opac:sitemap-section"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    # Staff (PR) pages.
    path("staff/news/", staff_news.post_list, name="staff-news"),
    path("staff/news/new/", staff_news.post_create, name="staff-news-create"),
    path("staff/news/<int:pk>/", staff_news.post_detail, name="staff-news-detail"),
    path("staff/news/<int:pk>/edit/", staff_news.post_edit, name="staff-news-edit"),
    path("staff/news/<int:pk>/preview/", staff_news.post_preview, name="staff-news-preview"),
    path("staff/news/<int:pk>/publish/", staff_news.post_publish, name="staff-news-publish"),
    path("staff/news/<int:pk>/unpublish/", staff_news.post_unpublish, name="staff-news-unpublish"),
    path("staff/news/pages/<slug:slug>/", staff_news.page_edit, name="staff-page-edit"),
]

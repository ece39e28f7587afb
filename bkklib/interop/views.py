"""Protocol endpoints: /oai (OAI-PMH 2.0) and /sru (SRU 1.2 and 2.0)."""
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import oai, sru


@csrf_exempt  # harvesters may POST (OAI-PMH 3.1.1.2); nothing here changes data
@require_http_methods(["GET", "POST"])
def oai_pmh(request):
    params = request.GET if request.method == "GET" else request.POST
    values = {name: params.getlist(name) for name in params}
    base_url = request.build_absolute_uri(request.path)
    try:
        parsed = oai.parse(values)
        body = oai.respond(parsed, base_url)
        echo = {name: vals[0] for name, vals in values.items()}
    except oai.OaiError as exc:
        body = oai.error_body(exc)
        # On badVerb and badArgument the request element carries no attributes (OAI-PMH 3.2).
        echo = {} if exc.code in ("badVerb", "badArgument") else {name: vals[0] for name, vals in values.items()}
    return HttpResponse(oai.envelope(base_url, echo, body), content_type="text/xml; charset=utf-8")


@csrf_exempt  # SRU over POST (application/x-www-form-urlencoded) is allowed; nothing here changes data
@require_http_methods(["GET", "POST"])
def sru_endpoint(request):
    params = request.GET if request.method == "GET" else request.POST
    values = {name: params.get(name) for name in params}
    return HttpResponse(sru.respond(values, request.build_absolute_uri(request.path)),
                        content_type="application/xml; charset=utf-8")

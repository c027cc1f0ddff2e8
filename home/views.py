"""Site-wide views that are not pages: search and robots.txt."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cms.links import absolute_url
from home.search import QUERY_LENGTH, site_search


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:QUERY_LENGTH]
    results = site_search(query=query, page_number=request.GET.get("seite", "1")) if query else None
    return render(request, "home/search.html", {"query": query, "results": results})


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Disallow: /konto/"]
    lines.append(f"Sitemap: {absolute_url('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")

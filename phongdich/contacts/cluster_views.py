"""Cluster pages (list with the create form, one cluster with its members) and the transmission tree page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from phongdich.accounts.permissions import perm_required
from phongdich.accounts.roles import Perm
from phongdich.cases.selectors import case_for_user
from phongdich.contacts.clusters import cluster_create
from phongdich.contacts.forms import ClusterForm
from phongdich.contacts.models import ContactStatus, Setting
from phongdich.contacts.selectors import cluster_for_user, cluster_list, cluster_members
from phongdich.contacts.tree import transmission_tree
from phongdich.contacts.tree_svg import tree_svg

PAGE_SIZE = 50


@perm_required(Perm.CASE_VIEW)
def cluster_list_view(request: HttpRequest) -> HttpResponse:
    can_edit = request.user.has_perm_code(Perm.CONTACT_EDIT)
    form = ClusterForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                cluster = cluster_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã tạo ổ dịch %(name)s.") % {"name": cluster.name})
                return redirect("contacts:cluster", pk=cluster.pk)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Setting.values else ""
    page = Paginator(cluster_list(user=request.user, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "can_edit": can_edit, "kinds": Setting.choices, "kind": kind}
    return render(request, "contacts/clusters.html", context)


@perm_required(Perm.CASE_VIEW)
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = cluster_for_user(request.user, pk)
    members = list(cluster_members(user=request.user, cluster=cluster))
    cases = cluster.cases.select_related("person").order_by("confirmed_on", "id")
    converted = sum(1 for member in members if member.status == ContactStatus.CONVERTED)
    context = {"cluster": cluster, "members": members, "cases": cases, "converted": converted}
    return render(request, "contacts/cluster.html", context)


@perm_required(Perm.CASE_VIEW)
def tree_view(request: HttpRequest) -> HttpResponse:
    """The transmission tree of an F0's chain (?case=) or of a cluster (?cluster=), as inline SVG and as a table."""
    case_id, cluster_id = request.GET.get("case", ""), request.GET.get("cluster", "")
    if case_id.isdigit() == cluster_id.isdigit():
        raise Http404
    subject: object
    if case_id.isdigit():
        subject = case_for_user(request.user, int(case_id))
        tree = transmission_tree(user=request.user, case=int(case_id))
    else:
        subject = cluster_for_user(request.user, int(cluster_id))
        tree = transmission_tree(user=request.user, cluster=int(cluster_id))
    nodes = {node.key: node for node in tree.nodes}
    rows = [(nodes.get(edge.source), edge, nodes.get(edge.target)) for edge in tree.edges]
    context = {
        "tree": tree, "subject": subject, "is_case": case_id.isdigit(), "rows": rows,
        "svg": tree_svg(tree),
    }  # fmt: skip
    return render(request, "contacts/tree.html", context)

from datetime import date, datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phongdich.cases.models import Case
from phongdich.dashboards.selectors import dashboard_scope
from phongdich.reports.models import WardDay
from phongdich.reports.tallies import tallies_rebuild
from phongdich.testing import PhongdichTestCase

HOME = reverse("dashboards:home")
MAP = reverse("dashboards:map")
REPORTED = reverse("dashboards:reported")
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# 10:00 on 25/02/2022: report day 25/02 (the window 24/02 18:00 → 25/02 18:00).
NOW = datetime(2022, 2, 25, 10, 0, tzinfo=HANOI)


def entered(case: Case, moment: datetime) -> None:
    Case.objects.filter(pk=case.pk).update(created_at=moment)


class DashboardTestCase(PhongdichTestCase):
    def setUp(self) -> None:
        patcher = patch("django.utils.timezone.now", return_value=NOW)
        patcher.start()
        self.addCleanup(patcher.stop)

    def add_case(self, *, ward, confirmed_on: date, at: datetime, source: str = "community") -> Case:
        case = self.create_case(ward=ward, confirmed_on=confirmed_on, source=source)
        entered(case, at)
        return case

    def rebuild(self) -> None:
        tallies_rebuild()


class DashboardPageTests(DashboardTestCase):
    def test_login_required_and_everyone_with_case_view_may_open(self) -> None:
        self.assert_login_required(HOME)
        self.assert_allowed(HOME, self.everyone)
        self.assert_allowed(MAP, [self.steering, self.district_officer_a, self.ward_officer_a1])

    def test_city_dashboard_shows_the_curve_the_map_and_links(self) -> None:
        self.add_case(ward=self.ward_a1, confirmed_on=date(2022, 2, 24), at=datetime(2022, 2, 24, 19, 0, tzinfo=HANOI))
        self.add_case(ward=self.ward_b1, confirmed_on=date(2022, 2, 25), at=datetime(2022, 2, 25, 9, 0, tzinfo=HANOI),
                      source="quarantine")  # fmt: skip
        self.rebuild()
        response = self.client_for(self.steering).get(HOME)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('id="chart-curve"', html)
        board = response.context["board"]
        self.assertEqual(board.curve.points[-1].day, date(2022, 2, 25))
        self.assertEqual((board.curve.points[-1].community, board.curve.points[-1].quarantine), (1, 1))
        # The map comes after the page, from the map view's fragment.
        self.assertIn(f'hx-get="{board.map_url}"', html)
        fragment = self.client_for(self.steering).get(board.map_url)
        self.assertContains(fragment, 'id="ward-map"')
        self.assertContains(fragment, "Sơ đồ ô phường/xã (không phải ranh giới thật)")
        self.assertNotContains(fragment, "<nav")
        self.assertEqual(len(fragment.context["map"].rows), 579)

    def test_every_number_opens_its_list(self) -> None:
        self.add_case(ward=self.ward_a1, confirmed_on=date(2022, 2, 24), at=datetime(2022, 2, 24, 19, 0, tzinfo=HANOI))
        self.rebuild()
        client = self.client_for(self.steering)
        board = client.get(HOME).context["board"]
        urls = [card.url for card in board.cards]
        urls += [url for row in board.curve_rows[:2] for url in row.urls.values()]
        urls += [t.url for t in board.tiers] + [b.url for b in board.beds] + [c.url for c in board.coverage.rows[:3]]
        urls += [item.url for item in (*board.daily.items, *board.daily.alerts)]
        ward_map = client.get(board.map_url).context["map"]
        urls += list(ward_map.rows[0].urls.values()) + [line.url for line in board.level_counts]
        for url in urls:
            self.assertEqual(client.get(url).status_code, 200, url)

    def test_a_city_user_picks_a_district_or_a_ward(self) -> None:
        client = self.client_for(self.city_admin)
        board = client.get(HOME, {"district": self.district_a.pk}).context["board"]
        self.assertEqual(board.area, self.district_a)
        ward_map = client.get(board.map_url).context["map"]
        self.assertEqual({r.shape.district_id for r in ward_map.rows}, {self.district_a.pk})
        self.assertEqual(len(ward_map.rows), 14)
        self.assertEqual(sum(line.wards for line in board.level_counts), 14)
        board = client.get(HOME, {"ward": self.ward_a1.pk}).context["board"]
        self.assertEqual(board.area, self.ward_a1)
        self.assertEqual(board.map_url, "")

    def test_a_district_user_cannot_pick_outside_their_district(self) -> None:
        response = self.client_for(self.district_officer_b).get(
            HOME, {"ward": self.ward_a1.pk, "district": self.district_a.pk}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["board"].area, self.district_b)
        response = self.client_for(self.district_officer_b).get(MAP, {"ward": self.ward_a1.pk})
        self.assertEqual({r.shape.district_id for r in response.context["map"].rows}, {self.district_b.pk})

    def test_the_scope_outside_the_users_area_is_not_found(self) -> None:
        with self.assertRaises(Http404):
            dashboard_scope(user=self.district_officer_b, ward_id=self.ward_a1.pk)
        with self.assertRaises(Http404):
            dashboard_scope(user=self.ward_officer_a2, district_id=self.district_a.pk)
        self.assertEqual(dashboard_scope(user=self.district_officer_a, ward_id=self.ward_a2.pk), self.ward_a2)

    def test_a_ward_user_sees_their_ward_without_a_map(self) -> None:
        self.add_case(ward=self.ward_a1, confirmed_on=date(2022, 2, 24), at=datetime(2022, 2, 24, 19, 0, tzinfo=HANOI))
        self.add_case(ward=self.ward_a2, confirmed_on=date(2022, 2, 24), at=datetime(2022, 2, 24, 19, 0, tzinfo=HANOI))
        self.rebuild()
        board = self.client_for(self.ward_officer_a1).get(HOME).context["board"]
        self.assertEqual(board.area, self.ward_a1)
        self.assertEqual(board.map_url, "")
        self.assertEqual(board.curve.points[-1].community, 1)  # the other ward's case is not counted
        response = self.client_for(self.ward_officer_a1).get(MAP)
        self.assertEqual([r.shape.ward_id for r in response.context["map"].rows], [self.ward_a1.pk])

    def test_the_map_page_is_labelled_schematic_and_links_each_ward(self) -> None:
        response = self.client_for(self.district_officer_a).get(MAP)
        html = response.content.decode()
        self.assertIn('id="ward-map-schematic"', html)
        self.assertIn(f'href="/f0/?ward={self.ward_a1.pk}"', html)
        feature = response.context["map_data"]["features"][0]
        self.assertEqual(feature["geometry"]["type"], "Polygon")
        self.assertTrue(feature["properties"]["schematic"])


class CurveAndReportedCasesTests(DashboardTestCase):
    def test_late_entries_are_counted_apart_and_listed_apart(self) -> None:
        on_time = self.add_case(ward=self.ward_a1, confirmed_on=date(2022, 2, 24),
                                at=datetime(2022, 2, 24, 19, 0, tzinfo=HANOI))  # fmt: skip
        late = self.add_case(ward=self.ward_a1, confirmed_on=date(2022, 2, 20),
                             at=datetime(2022, 2, 25, 9, 0, tzinfo=HANOI))  # fmt: skip
        before_boundary = self.add_case(ward=self.ward_a1, confirmed_on=date(2022, 2, 24),
                                        at=datetime(2022, 2, 24, 17, 59, tzinfo=HANOI))  # fmt: skip
        self.rebuild()
        client = self.client_for(self.steering)
        board = client.get(HOME).context["board"]
        last, previous = board.curve.points[-1], board.curve.points[-2]
        self.assertEqual((last.day, last.total, last.late), (date(2022, 2, 25), 1, 1))
        self.assertEqual((previous.day, previous.total, previous.late), (date(2022, 2, 24), 1, 0))
        # The 7-day mean over 19/02–25/02: two cases on time.
        self.assertEqual(last.average, round(2 / 7, 1))
        self.assertEqual(board.curve.late_total, 1)

        def listed(**params: str) -> list[int]:
            return [c.pk for c in client.get(REPORTED, params).context["page"]]

        self.assertEqual(listed(start="25/02/2022", end="25/02/2022", kind="all"), [on_time.pk])
        self.assertEqual(listed(start="25/02/2022", kind="late"), [late.pk])
        self.assertEqual(listed(start="24/02/2022", kind="all"), [before_boundary.pk])
        self.assertEqual(
            listed(start="24/02/2022", end="25/02/2022", kind="community"), [on_time.pk, before_boundary.pk]
        )
        self.assertEqual(listed(start="24/02/2022", end="25/02/2022", kind="quarantine"), [])
        # The list behind a count has exactly the count's cases.
        self.assertEqual(len(listed(start="25/02/2022", kind="all")), last.total)

    def test_reported_cases_are_scoped_and_bad_dates_named(self) -> None:
        self.add_case(ward=self.ward_a1, confirmed_on=date(2022, 2, 25), at=datetime(2022, 2, 25, 9, 0, tzinfo=HANOI))
        other = self.add_case(ward=self.ward_b1, confirmed_on=date(2022, 2, 25),
                              at=datetime(2022, 2, 25, 9, 0, tzinfo=HANOI))  # fmt: skip
        response = self.client_for(self.ward_officer_b1).get(REPORTED, {"ward": self.ward_a1.pk})
        self.assertEqual([c.pk for c in response.context["page"]], [other.pk])
        response = self.client_for(self.steering).get(REPORTED, {"start": "25/02/2022", "end": "01/02/2022"})
        self.assertIn("Ngày kết thúc phải từ ngày bắt đầu trở đi.", response.content.decode())
        response = self.client_for(self.steering).get(REPORTED, {"start": "01/01/2022", "end": "25/02/2022"})
        self.assertIn("tối đa 31 ngày", response.content.decode())


class QueryCountTests(DashboardTestCase):
    def count_queries(self, url: str, user) -> int:  # type: ignore[no-untyped-def]
        client = self.client_for(user)
        client.get(url)  # warm the ward-shape cache and the session
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(client.get(url).status_code, 200)
        return len(queries)

    def test_the_number_of_queries_does_not_grow_with_the_data(self) -> None:
        self.add_case(ward=self.ward_a1, confirmed_on=date(2022, 2, 24), at=datetime(2022, 2, 24, 19, 0, tzinfo=HANOI))
        self.rebuild()
        small = {
            u.username: self.count_queries(HOME, u)
            for u in (self.steering, self.district_officer_a, self.ward_officer_a1)
        }
        small_map = self.count_queries(MAP, self.steering)
        for n in range(12):
            ward = (self.ward_a1, self.ward_a2, self.ward_b1)[n % 3]
            self.add_case(ward=ward, confirmed_on=date(2022, 2, 25) - timedelta(days=n % 5),
                          at=datetime(2022, 2, 25, 8, n, tzinfo=HANOI), source=("community", "quarantine", "arrival")[n % 3])  # fmt: skip
        self.rebuild()
        self.assertGreater(WardDay.objects.count(), 5)
        large = {
            u.username: self.count_queries(HOME, u)
            for u in (self.steering, self.district_officer_a, self.ward_officer_a1)
        }
        self.assertEqual(small, large)
        self.assertEqual(small_map, self.count_queries(MAP, self.steering))
        self.assertLessEqual(large["steering"], 40)

"""GET /healthz: answers anyone, touches no database, refuses other methods."""

from django.test import Client

from phongdich.testing import PhongdichTestCase


class HealthzTests(PhongdichTestCase):
    def test_anonymous_get_answers_ok_without_queries(self) -> None:
        with self.assertNumQueries(0):
            response = Client().get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok")
        self.assertIn("no-cache", response["Cache-Control"])

    def test_every_role_gets_the_same(self) -> None:
        for user in self.everyone:
            client = Client()
            client.force_login(user)
            self.assertEqual(client.get("/healthz").content, b"ok", user.username)

    def test_post_is_refused(self) -> None:
        self.assertEqual(Client().post("/healthz").status_code, 405)

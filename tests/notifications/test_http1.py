import asyncio
import ssl

from notifications.push.http1 import OriginPool


def _post_all(pool: OriginPool, paths: list[str]) -> list[int]:
    async def post_all():
        answers = await asyncio.gather(*(pool.post(path, {}, b"") for path in paths))
        pool.close()
        return [status for status, _headers in answers]

    return asyncio.run(post_all())


def test_requests_wait_for_a_busy_connection_before_the_pool_opens_another(push_service):
    context = ssl.create_default_context(cafile=push_service.cert_path)
    pool = OriginPool(push_service.origin, size=8, ssl_context=context, open_after=60)

    statuses = _post_all(pool, [f"/push/unknown-{index}" for index in range(20)])

    assert statuses == [404] * 20  # answered, one after another, on the one connection
    assert (pool.opened, push_service.tls_connections) == (1, 1)


def test_requests_that_wait_too_long_get_connections_of_their_own(push_service):
    context = ssl.create_default_context(cafile=push_service.cert_path)
    pool = OriginPool(push_service.origin, size=4, ssl_context=context, open_after=0)

    statuses = _post_all(pool, [f"/push/unknown-{index}" for index in range(20)])

    assert statuses == [404] * 20
    assert 1 <= pool.opened <= 4
    assert push_service.tls_connections == pool.opened

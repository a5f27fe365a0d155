def test_coordinator_sees_dashboard(tenant_a, client_for):
    response = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/")
    assert response.status_code == 200
    # A summary of the members with the way to all of them, not the list itself.
    assert "2 schools" in response.content.decode()
    assert f'href="/p/{tenant_a.slug}/members/"' in response.content.decode()

def test_coordinator_sees_dashboard(tenant_a, client_for):
    response = client_for(tenant_a.coordinator).get(f"/p/{tenant_a.slug}/")
    assert response.status_code == 200
    assert tenant_a.schools[0].name in response.content.decode()

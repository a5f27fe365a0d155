"""The factories: one module per app, and exactly one factory per model."""

import importlib
import pkgutil

import factory

import tests.factories


def test_there_is_exactly_one_factory_per_model():
    by_model: dict[str, list[str]] = {}
    for info in pkgutil.walk_packages(tests.factories.__path__, f"{tests.factories.__name__}."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value.__module__ == module.__name__
                and value._meta.model is not None
            ):
                by_model.setdefault(value._meta.model._meta.label, []).append(f"{module.__name__}.{name}")
    duplicates = {label: names for label, names in by_model.items() if len(names) > 1}
    assert duplicates == {}, f"more than one factory for a model (use a factory.Trait instead): {duplicates}"
    assert len(by_model) >= 15, by_model

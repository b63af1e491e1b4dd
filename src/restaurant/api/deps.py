"""Dependencies handed to handlers."""

from __future__ import annotations

from litestar.datastructures import State

from restaurant.lifespan import Resources
from restaurant.services.menu import MenuService


def provide_resources(state: State) -> Resources:
    """The process-wide clients."""
    resources: Resources = state.resources
    return resources


def provide_menu_service(state: State) -> MenuService:
    """The cached menu reader."""
    return provide_resources(state).menu

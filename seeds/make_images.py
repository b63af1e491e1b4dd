"""Draw one small, self-contained SVG per item of the demo menu into seeds/images/.

Each picture is a rounded square in its category's colour with a simple motif (pizza slice,
burger, salad bowl, fries, cup, cake slice) tinted per item, and the item's short name.
No external references, scripts or web fonts. Regenerate with:

    uv run python seeds/make_images.py            # reads seeds/demo.json
    uv run python seeds/make_images.py MENU.json  # another menu in the same format
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
OUT = HERE / "images"
MAX_BYTES = 2048

# Category -> (background, motif). Unknown categories fall back to a plate.
CATEGORIES = {
    "pizzas": ("#C44536", "pizza"),
    "burgers": ("#D9822B", "burger"),
    "salads": ("#4C9A5B", "salad"),
    "sides": ("#2F6690", "fries"),
    "drinks": ("#23908A", "cup"),
    "desserts": ("#A2457E", "cake"),
}

# Per-item accent (toppings, leaves, drink, frosting) and short name on the tile.
ITEMS: dict[str, tuple[str, str]] = {
    "cheese_pizza": ("#F4C95D", "Cheese"),
    "margherita_pizza": ("#3FA34D", "Margherita"),
    "pepperoni_pizza": ("#B3261E", "Pepperoni"),
    "hawaiian_pizza": ("#F2A541", "Hawaiian"),
    "bbq_chicken_pizza": ("#6B2E1F", "BBQ Chicken"),
    "veggie_supreme_pizza": ("#2E7D32", "Veggie"),
    "four_cheese_pizza": ("#FFF3C4", "4 Cheese"),
    "spicy_diavola_pizza": ("#E63946", "Diavola"),
    "meat_lovers_pizza": ("#7A2E1E", "Meat Lovers"),
    "vegan_garden_pizza": ("#55A630", "Vegan"),
    "classic_cheeseburger": ("#F6B93B", "Classic"),
    "bacon_cheeseburger": ("#C0392B", "Bacon"),
    "double_smash_burger": ("#F6B93B", "Double Smash"),
    "jalapeno_popper_burger": ("#4CAF50", "Jalapeño"),
    "crispy_chicken_sandwich": ("#E9B872", "Crispy Chicken"),
    "garden_veggie_burger": ("#7CB342", "Veggie"),
    "caesar_salad": ("#C5E1A5", "Caesar"),
    "garden_salad": ("#8BC34A", "Garden"),
    "greek_salad": ("#9CCC65", "Greek"),
    "cobb_salad": ("#66BB6A", "Cobb"),
    "kale_quinoa_salad": ("#2E7D32", "Kale Quinoa"),
    "southwest_chicken_salad": ("#AED581", "Southwest"),
    "french_fries": ("#FFD54F", "Fries"),
    "sweet_potato_fries": ("#F28C28", "Sweet Potato"),
    "onion_rings": ("#E8B04B", "Onion Rings"),
    "garlic_knots": ("#F3D9A4", "Garlic Knots"),
    "chicken_wings": ("#D35400", "Wings"),
    "mozzarella_sticks": ("#E6A23C", "Mozz Sticks"),
    "jalapeno_poppers": ("#66BB6A", "Poppers"),
    "coke": ("#5D2E0F", "Coke"),
    "diet_coke": ("#8D6E63", "Diet Coke"),
    "sprite": ("#C5E86C", "Sprite"),
    "root_beer": ("#4E2A14", "Root Beer"),
    "lemonade": ("#FFE66D", "Lemonade"),
    "iced_tea": ("#B5651D", "Iced Tea"),
    "bottled_water": ("#BDE8F5", "Water"),
    "sparkling_water": ("#DDF4FB", "Sparkling"),
    "tiramisu": ("#7B4A2A", "Tiramisu"),
    "chocolate_lava_cake": ("#4A2511", "Lava Cake"),
    "ny_cheesecake": ("#E53950", "Cheesecake"),
    "pumpkin_cheesecake": ("#E67E22", "Pumpkin"),
    "cannoli": ("#7CB342", "Cannoli"),
    "mango_sorbet": ("#FFB300", "Sorbet"),
}

# Items whose own motif reads better than their category's.
ITEM_MOTIFS = {
    "chicken_wings": "drumstick",
    "onion_rings": "rings",
    "cannoli": "cannoli",
    "mango_sorbet": "scoop",
}

# Motifs are drawn in the 120x120 tile, above the name (roughly y 14..80). {a} is the accent.
MOTIFS = {
    "pizza": (
        '<path d="M30 27Q60 13 90 27L60 84Z" fill="#FFD37A"/>'
        '<path d="M27 22Q60 6 93 22L90 30Q60 16 30 30Z" fill="#E39B3D"/>'
        '<g fill="{a}"><circle cx="51" cy="36" r="6"/><circle cx="69" cy="40" r="5.5"/>'
        '<circle cx="59" cy="55" r="5"/><circle cx="58" cy="71" r="3"/></g>'
    ),
    "burger": (
        '<path d="M30 44Q30 16 60 16Q90 16 90 44Z" fill="#F0A94B"/>'
        '<g fill="#FFF3D6"><ellipse cx="48" cy="27" rx="2" ry="1.2"/>'
        '<ellipse cx="62" cy="23" rx="2" ry="1.2"/><ellipse cx="73" cy="31" rx="2" ry="1.2"/></g>'
        '<path d="M27 47Q34 42 41 47T55 47T69 47T83 47T93 47V51H27Z" fill="#6DBE45"/>'
        '<path d="M29 51H91L84 60H36Z" fill="{a}"/>'
        '<rect x="29" y="55" width="62" height="12" rx="6" fill="#6B3A1E"/>'
        '<rect x="30" y="69" width="60" height="10" rx="5" fill="#F0A94B"/>'
    ),
    "salad": (
        '<g fill="{a}"><ellipse cx="45" cy="40" rx="12" ry="7" transform="rotate(-30 45 40)"/>'
        '<ellipse cx="75" cy="40" rx="12" ry="7" transform="rotate(30 75 40)"/>'
        '<ellipse cx="60" cy="33" rx="7" ry="13"/></g>'
        '<circle cx="52" cy="46" r="5" fill="#E53935"/>'
        '<circle cx="69" cy="47" r="4" fill="#FFEB3B"/>'
        '<path d="M24 48H96Q94 80 60 80Q26 80 24 48Z" fill="#FFFFFF"/>'
        '<path d="M30 56H90" stroke="{a}" stroke-width="3"/>'
    ),
    "fries": (
        '<g fill="{a}" stroke="#00000022"><rect x="40" y="14" width="7" height="44" rx="2"/>'
        '<rect x="50" y="9" width="7" height="48" rx="2"/>'
        '<rect x="60" y="12" width="7" height="46" rx="2"/>'
        '<rect x="70" y="17" width="7" height="40" rx="2"/>'
        '<rect x="45" y="20" width="7" height="38" rx="2"/>'
        '<rect x="65" y="21" width="7" height="36" rx="2"/></g>'
        '<path d="M34 38H86L80 80H40Z" fill="#E63946"/>'
        '<path d="M34 38Q60 52 86 38" fill="#FFFFFF" opacity=".9"/>'
    ),
    "cup": (
        '<path d="M66 6L72 6L66 30H62Z" fill="#FFFFFF"/>'
        '<path d="M38 30H82L77 82H43Z" fill="#FFFFFF"/>'
        '<path d="M40.5 40H79.5L76.5 74H43.5Z" fill="{a}"/>'
        '<rect x="34" y="24" width="52" height="8" rx="3" fill="#ECEFF1"/>'
        '<g fill="#FFFFFF" opacity=".55"><rect x="48" y="46" width="8" height="8" rx="2"/>'
        '<rect x="60" y="52" width="8" height="8" rx="2"/></g>'
    ),
    "cake": (
        '<path d="M28 50L88 36V76L28 80Z" fill="#FFE8C2"/>'
        '<path d="M28 50L88 36L88 44L28 58Z" fill="{a}"/>'
        '<path d="M28 66L88 58V63L28 71Z" fill="{a}" opacity=".75"/>'
        '<path d="M28 50L88 36" stroke="#FFFFFF" stroke-width="5" stroke-linecap="round"/>'
        '<circle cx="62" cy="34" r="7" fill="#D62828"/>'
        '<path d="M62 28Q64 18 71 16" stroke="#3E7B27" stroke-width="2" fill="none"/>'
    ),
    "drumstick": (
        '<path d="M76 66L86 76" stroke="#FFF8E7" stroke-width="7" stroke-linecap="round"/>'
        '<circle cx="89" cy="73" r="5" fill="#FFF8E7"/>'
        '<circle cx="83" cy="79" r="5" fill="#FFF8E7"/>'
        '<ellipse cx="56" cy="44" rx="24" ry="19" transform="rotate(45 56 44)" fill="{a}"/>'
        '<ellipse cx="50" cy="38" rx="8" ry="4" transform="rotate(45 50 38)" fill="#FFFFFF"'
        ' opacity=".3"/>'
    ),
    "rings": (
        '<g fill="none" stroke-width="9"><circle cx="48" cy="50" r="19" stroke="{a}"/>'
        '<circle cx="72" cy="40" r="19" stroke="#F3C969"/></g>'
        '<g fill="none" stroke="#FFFFFF" stroke-width="1.5" opacity=".5">'
        '<circle cx="48" cy="50" r="22"/>'
        '<circle cx="72" cy="40" r="22"/></g>'
    ),
    "cannoli": (
        '<g transform="rotate(-25 60 48)">'
        '<rect x="30" y="36" width="60" height="24" rx="12" fill="#E3A857"/>'
        '<path d="M40 40H80M40 56H80" stroke="#C98A3A" stroke-width="2"/>'
        '<ellipse cx="30" cy="48" rx="7" ry="12" fill="#FFF8E7"/>'
        '<ellipse cx="90" cy="48" rx="7" ry="12" fill="#FFF8E7"/>'
        '<g fill="{a}"><circle cx="28" cy="44" r="2"/><circle cx="31" cy="52" r="2"/>'
        '<circle cx="92" cy="44" r="2"/><circle cx="89" cy="52" r="2"/></g></g>'
    ),
    "scoop": (
        '<circle cx="48" cy="40" r="15" fill="{a}"/><circle cx="72" cy="40" r="15" fill="#FFD54F"/>'
        '<circle cx="60" cy="30" r="15" fill="{a}"/>'
        '<path d="M30 48H90L80 76H40Z" fill="#FFFFFF"/>'
        '<rect x="52" y="76" width="16" height="6" rx="2" fill="#FFFFFF"/>'
        '<path d="M64 14L70 20" stroke="#3E7B27" stroke-width="3" stroke-linecap="round"/>'
    ),
    "plate": (
        '<circle cx="60" cy="46" r="30" fill="#FFFFFF"/><circle cx="60" cy="46" r="20" fill="{a}"/>'
    ),
}


def _name_text(name: str) -> str:
    """The short name, on one line or two, sized to fit the 120-wide tile."""
    style = 'font-family="sans-serif" font-weight="700" fill="#FFFFFF" text-anchor="middle"'
    if len(name) <= 9:
        return f'<text x="60" y="104" font-size="17" {style}>{escape(name)}</text>'
    if len(name) <= 11 or " " not in name:
        return f'<text x="60" y="104" font-size="15" {style}>{escape(name)}</text>'
    first, second = name.split(" ", 1)
    return (
        f'<text x="60" y="98" font-size="14" {style}>{escape(first)}'
        f'<tspan x="60" dy="14.5">{escape(second)}</tspan></text>'
    )


def svg(item_key: str, label: str, category: str) -> str:
    """One tile as SVG text."""
    background, motif = CATEGORIES.get(category, ("#6D597A", "plate"))
    motif = ITEM_MOTIFS.get(item_key, motif)
    accent, short = ITEMS.get(item_key, ("#FFD166", label))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120" '
        f'role="img" aria-label="{escape(label, {chr(34): "&quot;"})}">'
        f"<title>{escape(label)}</title>"
        f'<rect width="120" height="120" rx="22" fill="{background}"/>'
        '<circle cx="60" cy="47" r="40" fill="#FFFFFF" opacity=".16"/>'
        + MOTIFS[motif].replace("{a}", accent)
        + _name_text(short)
        + "</svg>\n"
    )


def main(menu_path: Path) -> None:
    menu = json.loads(menu_path.read_text(encoding="utf-8"))
    OUT.mkdir(exist_ok=True)
    wanted: set[str] = set()
    for category in menu["categories"]:
        for item in category["items"]:
            text = svg(item["key"], item["label"], category["key"])
            size = len(text.encode("utf-8"))
            if size > MAX_BYTES:
                raise SystemExit(f"{item['key']}.svg is {size} bytes (limit {MAX_BYTES})")
            name = f"{item['key']}.svg"
            (OUT / name).write_text(text, encoding="utf-8")
            wanted.add(name)
    for stale in OUT.glob("*.svg"):
        if stale.name not in wanted:
            stale.unlink()
    print(f"wrote {len(wanted)} images to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "demo.json")

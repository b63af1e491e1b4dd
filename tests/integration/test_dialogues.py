"""Whole conversations through the real chat API, one test each (tests/data/dialogue-format.md).

Every conversation of `tests/data/dialogues-dev/VENUE.jsonl`, `tests/data/dialogues/VENUE.jsonl` and
the blind batches `tests/data/dialogues-blind*/VENUE.jsonl` is held in a fresh chat session of the
app on a real socket (PostgreSQL, Redis, MongoDB), over SSE, or over the WebSocket for every fifth
one, then judged by `bench/dialogue_judge.py`: the cart read with `GET /api/v1/chat/{id}/cart` and
each turn's checks. A failure shows the turns, the replies, and the expected and actual carts.

The app serves the restaurant its settings name, so each venue gets its menu imported into this
module's database and an app of its own. The first test of a venue holds all of that venue's
selected conversations at once, in parallel sessions, and each test then judges its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from bench.dialogue_judge import Dialogue, Held, describe, judge
from bench.dialogues import VENUES, dialogues_of, hold_all, menu_file
from restaurant.db.migrate import upgrade
from restaurant.services.menu_import import import_menu_file
from restaurant.settings import Settings
from tests.integration.chat_support import LiveServer

REPO = Path(__file__).resolve().parents[2]
WEBSOCKET_EVERY = 5  # the 5th, 10th, ... conversation of a venue goes over the WebSocket


# Conversations known to end wrong, and how (what the final cart lacks and has instead, or the
# check that failed): each is a strict xfail, so fixing one shows up as a failure until it is
# taken off this list. Most are of blind4, the batch written to break the assistant.
KNOWN_OPEN: dict[str, str] = {
    "pizzeria-blind3-04": "lacks 1 pizza{extra_large,hawaiian,pineapple (extra)}; 2 sprite{can...",
    "pizzeria-blind4-06": "lacks 1 pizza{medium,cheese (extra)}, has 1 pizza{mediterranean,che...",
    "pizzeria-blind4-09": "lacks 1 pizza{medium,ham}; 1 pizza{medium,ham,pineapple}, has 1 piz...",
    "pizzeria-blind4-14": "has 1 pizza",
    "pizzeria-blind4-15": "lacks 1 pepsi{2_liter}; 1 pizza{regularsize,cheese (light),chicken}...",
    "pizzeria-blind4-23": "lacks 1 pizza{large,bbq_chicken}, has 1 pizza{large,bbq_sauce,chicken}",
    "pizzeria-blind4-24": "lacks 1 pizza{small,olives,red_onions,tuna}, has 1 pizza{small,oliv...",
    "pizzeria-blind8-09": "lacks 1 pizza{small,thin_crust,feta_cheese,spinach}, has 1 pizza{sm...",
    "pizzeria-blind9-22": "lacks 1 pizza{lunch_size,bacon,tomatoes}; 1 pizza{lunch_size,grille...",
    "pizzeria-blind11-07": "lacks 1 pizza{small,ham,pineapple}, has 1 pizza; 1 pizza{small,ham}",
    "pizzeria-blind14-14": "lacks 1 pizza{large,chorizo,jalapeno_peppers}, has 1 pizza{large,ja...",
    "pizzeria-blind14-16": "lacks 1 pizza{medium,ham,no sauce}; 1 pizza{large,mushrooms,olives,...",
    "pizzeria-blind14-20": "lacks 1 pizza{lunch_size,olives,salami}; 1 pizza{lunch_size,peppero...",
    "pizzeria-blind14-21": "lacks 1 pizza{large,onions (light),pepperoni}; 1 pizza{large,hawaii...",
    "pizzeria-blind20-09": "turn 1: reply lacks 'small'",
    "pizzeria-blind20-29": "lacks 4 pizza {pizza_size=large, toppings=pepperoni}, has 3 pizza {...",
    "pizzeria-blind21-03": "lacks 1 pizza {pizza_size=small, toppings=ham}; 2 pizza {pizza_size...",
    "pizzeria-blind21-04": "lacks 1 pizza {pizza_size=large, toppings=pepperoni}, has 2 pizza {...",
    "pizzeria-blind21-05": "lacks 1 pizza {pizza_size=large, toppings=pepperoni}; 1 pizza {pizz...",
    "pizzeria-blind21-06": "lacks 1 pizza {pizza_size=large, toppings=mushrooms, toppings=olive...",
    "pizzeria-blind21-08": "lacks 1 pizza {pizza_size=personal_size, style=stuffed_crust, toppi...",
    "pizzeria-blind21-17": "lacks 1 pizza {pizza_size=large, style=hawaiian}; 1 pizza {pizza_si...",
    "pizzeria-blind21-23": "has 1 pizza {style=vegan}",
    "pizzeria-blind21-29": "lacks 2 coke {container=can}; 1 dr_pepper {container=can}; 3 sprite...",
    "pizzeria-blind22-29": "lacks 1 pizza{medium,sausage}, has 1 pizza{keto_crust,medium,sausage}",
    "pizzeria-blind24-14": "lacks 1 pizza{small,vegetarian}",
    "pizzeria-blind24-22": "has 1 water",
    "pizzeria-blind24-28": "lacks 1 pizza{large,meatballs,new_york_style}",
    "pizzeria-blind28-07": "lacks 1 pizza{large, mushrooms, sausage}, has 1 pizza{medium, mushr...",
    "pizzeria-blind28-16": "lacks 1 pizza{large, hawaiian}; 1 pizza{large, pepperoni}, has 1 pi...",
    "pizzeria-blind28-19": "lacks 3 pizza{large, pepperoni}, has 2 pizza{large, pepperoni}; 1 p...",
    "pizzeria-blind28-22": "lacks 1 pizza{large, bacon, jalapeno_peppers, pineapple}, has 2 piz...",
    "pizzeria-blind28-25": "lacks 1 pizza{medium, pepperoni}, has 1 pizza{small, pepperoni}; 1 ...",
    "pizzeria-blind28-30": "has 1 pizza{large}",
    "pizzeria-blind29-16": "has 1 pizza{large}",
    "pizzeria-blind31-24": "lacks 1 pizza{medium,vegetarian}; 1 pizza{medium,pepperoni}; 1 pizz...",
    "pizzeria-blind33-04": "has 1 pizza",
    "pizzeria-blind33-18": "lacks 1 pizza{chicken,extra_large,green_peppers,onions}, has 1 pizz...",
    "pizzeria-blind33-27": "turn 1: reply lacks 'ginger ale'",
    "pizzeria-blind34-10": "lacks 1 pizza{large,hawaiian}; 1 pizza{medium,mushrooms,pepperoni};...",
    "pizzeria-blind34-17": "lacks 1 pizza{personal_size,sausage}, has 1 pizza{personal_size,pep...",
    "pizzeria-blind34-21": "lacks 1 pizza{medium,mushrooms (extra),onions}, has 1 pizza{medium,...",
    "pizzeria-blind35-28": "turn 2: reply lacks '0.50'",
    "pizzeria-blind36-03": "lacks 1 pizza{medium,sausage}, has 1 pizza{large,green_peppers,saus...",
    "pizzeria-blind36-04": "lacks 1 coke{}, has 1 diet_coke{regularsize}; 1 pizza{medium}",
    "pizzeria-blind37-05": "lacks 1 pizza{large,hawaiian,pineapple (extra)}, has 1 pizza{large,...",
    "pizzeria-blind37-20": "lacks 1 pizza{small,ham}; 1 pizza{small,pepperoni}, has 1 pizza{sma...",
    "pizzeria-blind38-05": "lacks 1 pizza{large,green_peppers,sausage}; 1 pizza{small,pepperoni...",
    "pizzeria-blind38-09": "lacks 1 pizza{medium,olives,pepperoni}",
    "pizzeria-blind38-26": "lacks 1 pizza{personal_size,pepperoni}, has 1 pizza{personal_size,m...",
    "pizzeria-blind39-07": "lacks 1 coke{500_ml}, has 1 coke_zero{500_ml}",
    "pizzeria-blind39-12": "lacks 1 diet_pepsi{can}, has 1 pepsi{can}",
    "pizzeria-blind39-27": "lacks 2 water{bottle}",
    "pizzeria-blind40-09": "lacks 1 pizza{small,cheese (light),chicken,ricotta_cheese,spinach},...",
    "pizzeria-blind40-10": "lacks 1 pizza{large,thin_crust,pepperoni}, has 1 pizza{large,thin_c...",
    "pizzeria-blind40-20": "lacks 1 pizza{medium,olives}, has 1 pizza{medium,anchovies,olives}",
    "pizzeria-blind42-02": "lacks 1 pizza{large,meat_lover}; 1 pizza{medium,margherita}, has 1 ...",
    "pizzeria-blind42-05": "lacks 1 pizza{large,pepperoni}, has 1 pizza{large,hawaiian}",
    "pizzeria-blind42-06": "has 1 pizza{gluten_free_crust}",
    "pizzeria-blind42-08": "lacks 1 pizza{medium,hot_peppers,jalapeno_peppers,pepperoni}; 1 piz...",
    "pizzeria-blind42-11": "lacks 2 ice_tea; 1 pizza{medium,pepperoni}",
    "pizzeria-blind42-13": "lacks 1 pizza{large,margherita}; 1 pizza{large,feta_cheese,spinach}...",
    "pizzeria-blind42-15": "lacks 1 diet_coke{can}; 1 sprite{can}",
    "pizzeria-blind42-16": "has 2 ginger_ale",
    "pizzeria-blind42-23": "lacks 1 pizza{medium,pepperoni,sausage}, has 1 seven_up",
    "pizzeria-blind42-24": "lacks 1 pizza{personal_size,gluten_free_crust,spinach}, has 1 pizza...",
    "pizzeria-blind42-27": "lacks 1 pizza{lunch_size,margherita}; 3 pizza{lunch_size,pepperoni}...",
    "pizzeria-blind42-28": "lacks 1 pizza{large,cheese (extra),italian_sausage,pepperoni}; 1 pi...",
    "pizzeria-blind42-30": "lacks 1 pizza{small,pepperoni (extra)}; 2 pizza{small,pepperoni}, h...",
    "pizzeria-blind43-15": "lacks 1 pizza{medium,margherita}; 1 pizza{medium,mediterranean,oliv...",
    "pizzeria-blind43-19": "lacks 1 pizza{large,new_york_style,pepperoni,sausage}, has 2 pizza{...",
    "pizzeria-blind44-12": "lacks 1 pizza{large,pepperoni}",
    "pizzeria-blind45-02": "lacks 1 pizza{small,margherita}, has 1 pizza{small,hawaiian,margher...",
    "pizzeria-blind45-12": "lacks 1 ice_tea, has 1 ice_tea{regularsize}",
    "pizzeria-blind45-22": "lacks 1 pizza{large,chicago_style,sausage}; 1 pizza{large,new_york_...",
    "pizzeria-blind45-30": "lacks 1 pizza{large,green_peppers,sausage}, has 1 pizza{cheese (ext...",
    "pizzeria-blind46-07": "has 2 x pizza",
    "pizzeria-blind46-19": "lacks 1 x pizza {pizza_size=extra_large, style=hawaiian}; 1 x pizza...",
    "pizzeria-blind47-06": "lacks 1 x pizza {pizza_size=large, toppings=pepperoni, toppings=sau...",
    "pizzeria-blind47-11": "lacks 1 x pizza {pizza_size=large, style=vegetarian}; 1 x pizza {pi...",
    "pizzeria-blind47-16": "lacks 1 x pizza {pizza_size=large, toppings=garlic_powder, toppings...",
    "pizzeria-blind48-08": "has 1 x pizza {pizza_size=large, toppings=bbq_chicken}",
    "pizzeria-blind50-10": "lacks 1 x pizza {pizza_size=large, style=stuffed_crust, toppings=pe...",
    "pizzeria-blind50-20": "lacks 1 x pizza {pizza_size=lunch_size, toppings=chicken, toppings=...",
    "pizzeria-blind50-23": "lacks 1 x pizza {pizza_size=large, style=keto_crust, toppings=bacon...",
    "pizzeria-blind51-11": "lacks 1 x pizza {pizza_size=large, toppings=parmesan_cheese, toppin...",
    "pizzeria-blind51-26": "lacks 1 x pizza {pizza_size=small, toppings=shrimps}, has 1 x pizza...",
    "pizzeria-blind52-18": "lacks 1 x pepsi {volume=2_liter}, has 2 x pepsi {volume=1_liter}",
    "pizzeria-blind53-05": "lacks 1 x pizza {pizza_size=medium, style=stuffed_crust, toppings=p...",
    "pizzeria-blind53-14": "lacks 1 x pizza {pizza_size=large, style=margherita, style=thin_cru...",
    "pizzeria-blind53-15": "lacks 1 x pizza {pizza_size=small, toppings=cheese, toppings=pepper...",
    "pizzeria-blind53-19": "lacks 1 x pizza {pizza_size=small, toppings=pepperoni}, has 1 x piz...",
    "pizzeria-blind53-22": "lacks 1 x pizza {pizza_size=personal_size, toppings=pepperoni}, has...",
    "pizzeria-blind53-24": "lacks 1 x pizza {pizza_size=large, toppings=pepperoni}; 1 x pizza {...",
    "pizzeria-blind53-26": "lacks 1 x pizza {pizza_size=large, toppings=cheese (extra), topping...",
    "pizzeria-blind53-28": "lacks 2 x lemon_ice_tea {drink_size=small}; 1 x pizza {pizza_size=s...",
    "pizzeria-blind53-30": "lacks 1 x pizza {pizza_size=large, style=chicago_style, toppings=it...",
    "pizzeria-blind57-17": "lacks 1 x pizza {pizza_size=medium, style=chicago_style, toppings=s...",
    "pizzeria-blind60-19": "lacks 1 x pizza {pizza_size=personal_size, toppings=ham}; 2 x pizza...",
    "pizzeria-blind63-29": "lacks 1 x pizza {pizza_size=large, toppings=bacon, toppings=chicken...",
    "pizzeria-blind65-17": "lacks 1 x pizza {pizza_size=medium, toppings=chicken}, has 1 x pizz...",
    "pizzeria-blind66-03": "lacks 1 x pizza {pizza_size=personal_size, toppings=mushrooms}; 2 x...",
    "pizzeria-blind66-06": "lacks 1 x diet_coke {container=bottle}; 1 x pizza {pizza_size=large...",
    "pizzeria-blind66-15": "lacks 1 x pizza {pizza_size=party_size, toppings=pepperoni}",
    "pizzeria-blind66-17": "lacks 1 x pizza {pizza_size=lunch_size, toppings=broccoli, toppings...",
    "pizzeria-blind66-25": "has 1 x pizza {pizza_size=medium}",
    "pizzeria-blind66-28": "has 1 x pizza {pizza_size=large}",
    "pizzeria-blind67-24": "lacks 1 x pizza {pizza_size=large, toppings=grilled_chicken, toppin...",
    "pizzeria-blind68-06": "lacks 1 x diet_pepsi {volume=2_liter}, has 1 x pepsi {volume=2_liter}",
    "pizzeria-blind68-22": "lacks 4 x diet_pepsi {container=can}, has 2 x diet_pepsi; 2 x pepsi",
    "pizzeria-blind69-02": "lacks 1 x pizza {pizza_size=personal_size, toppings=cheese (extra)}...",
    "pizzeria-blind69-12": "lacks 1 x pizza {pizza_size=large, style=deep_dish, toppings=pepper...",
    "pizzeria-blind69-13": "lacks 2 x pizza {pizza_size=personal_size, toppings=feta_cheese, to...",
    "pizzeria-blind69-25": "has 1 x pizza",
    "pizzeria-blind69-30": "lacks 1 x pizza {pizza_size=large, style=hawaiian, toppings=pineapp...",
    "pizzeria-blind70-18": "lacks 1 x pizza {pizza_size=medium, style=combination, no toppings=...",
    "pizzeria-blind71-03": "lacks 1 x pizza {pizza_size=small, style=cauliflower_crust, topping...",
    "pizzeria-blind71-15": "lacks 1 x sprite {volume=2_liter}, has 1 x coke; 1 x coke {volume=2...",
    "pizzeria-blind72-07": "lacks 1 x pizza {pizza_size=small, toppings=pepperoni}, has 1 x piz...",
    "pizzeria-blind72-11": "lacks 1 x pizza {pizza_size=large, style=margherita}; 1 x pizza {pi...",
    "pizzeria-blind72-15": "lacks 1 x pizza {pizza_size=large, style=thin_crust, toppings=mushr...",
    "pizzeria-blind72-16": "lacks 1 x pizza {pizza_size=large, toppings=bacon, toppings=bbq_chi...",
    "pizzeria-blind72-17": "lacks , has 1 x pizza {pizza_size=large, toppings=pepperoni}",
    "pizzeria-blind72-23": "lacks 3 x coke {container=can}; 1 x diet_coke {container=can}, has ",
    "pizzeria-blind72-30": "lacks 1 x pizza {pizza_size=personal_size, style=supreme, no toppin...",
    "pizzeria-blind73-18": "lacks 1 x pizza {pizza_size=large, style=thin_crust, toppings=garli...",
    "pizzeria-blind73-24": "lacks 1 x pizza {pizza_size=large, toppings=chicken}, has 1 x pizza...",
    "pizzeria-blind74-10": "lacks 1 x pizza {pizza_size=medium, toppings=garlic_powder, topping...",
    "pizzeria-blind74-19": "lacks , has 1 x ginger_ale",
    "pizzeria-blind74-21": "lacks 1 x pizza {pizza_size=medium, toppings=ham, toppings=pineappl...",
    "pizzeria-blind74-24": "lacks 1 x pizza {pizza_size=large, toppings=green_peppers, toppings...",
    "pizzeria-blind78-06": "lacks 1 x pizza {pizza_size=large, toppings=bacon}; 2 x pizza {pizz...",
    "pizzeria-blind78-07": "lacks 2 x pizza {pizza_size=personal_size, toppings=cheese}; 1 x pi...",
    "pizzeria-blind78-11": "lacks 1 x pizza {style=gluten_free_crust, toppings=cheese}; 1 x piz...",
    "pizzeria-blind78-17": "lacks 3 x pizza {pizza_size=medium, style=thin_crust, toppings=pepp...",
    "pizzeria-blind79-17": "lacks , has 1 x pizza {pizza_size=medium, style=neapolitan}",
    "pizzeria-blind79-28": "lacks 2 x coke {volume=2_liter}, has ",
    "pizzeria-blind80-18": "lacks 1 x pizza {pizza_size=medium, style=thick_crust, toppings=bbq...",
    "pizzeria-blind80-19": "has 1 x water",
    "pizzeria-blind80-24": "lacks 1 x pizza {pizza_size=small, toppings=pepperoni, no toppings=...",
    "pizzeria-blind80-28": "lacks 1 x pizza {pizza_size=medium, toppings=pepperoni}, has 1 x pi...",
    "pizzeria-blind81-12": "lacks 1 x pizza {pizza_size=party_size, style=meat_lover}",
    "pizzeria-blind82-01": "lacks 1 x pizza {pizza_size=large, toppings=mushrooms, toppings=pep...",
    "pizzeria-blind82-02": "lacks 1 x pizza {pizza_size=medium, style=vegetarian, no toppings=o...",
    "pizzeria-blind82-05": "lacks 1 x pizza {pizza_size=large, style=supreme, toppings=onions (...",
    "pizzeria-blind82-10": "lacks 1 x pizza {pizza_size=large, style=supreme, toppings=sausage ...",
    "pizzeria-blind82-11": "lacks 1 x pizza {pizza_size=medium, toppings=ham, toppings=pineappl...",
    "pizzeria-blind84-22": "lacks 1 x pizza {pizza_size=medium, style=keto_crust, toppings=gril...",
    "pizzeria-blind84-26": "lacks 1 x pizza {pizza_size=party_size, style=meat_lover}, has 1 x ...",
    "pizzeria-blind84-28": "lacks 1 x ginger_ale {container=can}",
    "burger-blind1-24": "lacks 2 ham_burger{no cheddar}, has 2 ham_burger",
    "burger-blind4-18": "lacks 1 ham_burger{jalapenos}, has 1 ham_burger{onion}",
    "burger-blind4-19": "has 1 cheese_burger{lettuce}",
    "burger-blind4-23": "lacks 1 salad{bacon}, has 1 salad{bacon,tomato}",
    "burger-blind6-14": "lacks 1 ham_burger{bacon,mustard}, has 1 ham_burger{bacon}",
    "burger-blind7-21": "has 1 curly_fries",
    "burger-blind11-03": "lacks 1 chicken_sandwich, has 1 curly_fries; 1 vegan_burger",
    "burger-blind14-03": "lacks 1 double_cheese_burger{pickle (extra)}; 1 salad; 2 cheese_bur...",
    "burger-blind14-11": "lacks 1 cheese_burger",
    "burger-blind14-17": "lacks 1 cheese_burger{no tomato}; 1 hot_cocoa{small}",
    "burger-blind14-19": "lacks 1 zero_sugar_lemonade{large}; 1 iced_tea{large}, has 1 zero_s...",
    "burger-blind14-21": "lacks 2 cheese_burger, has 2 ham_burger{cheddar}",
    "burger-blind14-25": "lacks 1 chocolate_shake, has 1 vanilla_shake",
    "burger-blind15-09": "lacks 1 dr_pepper",
    "burger-blind20-11": "lacks 1 dr_pepper {drink_size=large}; 1 french_fries {side_size=large}",
    "burger-blind20-16": "lacks 1 chicken_sandwich {toppings=lettuce, toppings=mayonnaise, to...",
    "burger-blind21-22": "lacks 2 salad, has 1 salad; 1 salad {toppings=bacon}",
    "burger-blind21-23": "lacks 1 chocolate_shake {drink_size=small}, has 1 chocolate_shake",
    "burger-blind21-25": "lacks 3 double_cheese_burger, has 1 double_cheese_burger",
    "burger-blind21-27": "has 4 apple_slices",
    "burger-blind24-30": "lacks 1 french_fries{large}",
    "burger-blind28-05": "lacks 2 apple_slices; 1 french_fries{large}; 2 french_fries{small},...",
    "burger-blind28-14": "lacks 2 baby_carrots",
    "burger-blind28-27": "lacks 1 double_cheese_burger; 1 vanilla_shake, has 1 ham_burger",
    "burger-blind29-18": "lacks 1 zero_sugar_lemonade, has 1 strawberry_shake",
    "burger-blind29-25": "lacks 1 ham_burger{bacon, blue_cheese}, has 1 ham_burger{blue_cheese}",
    "burger-blind31-01": "lacks 2 cheese_burger{ketchup}, has 2 cheese_burger",
    "burger-blind31-07": "lacks 1 cheese_burger, has 1 cheese_burger{no pickle}; 2 french_fries",
    "burger-blind31-12": "lacks 1 chicken_sandwich; 1 double_cheese_burger, has 1 french_fries",
    "burger-blind31-15": "lacks 1 chocolate_shake, has 1 strawberry_shake",
    "burger-blind31-17": "lacks 1 french_fries{small}, has 1 cheese_burger",
    "burger-blind31-20": "has 3 double_cheese_burger",
    "burger-blind31-21": "lacks 1 chicken_sandwich{bacon,mayonnaise}, has 1 french_fries",
    "burger-blind31-30": "lacks 1 salad, has 1 coffee",
    "burger-blind32-23": "turn 2: reply lacks 'Chicken Sandwich'",
    "burger-blind34-05": "lacks 1 ham_burger{bacon,no ketchup,lettuce,onion,tomato}",
    "burger-blind34-14": "has 1 chicken_sandwich{}; 1 curly_fries{}; 1 iced_tea{}",
    "burger-blind34-15": "lacks 1 cheese_burger{}; 1 french_fries{large}, has 1 diet_coke{lar...",
    "burger-blind34-17": "lacks 1 ham_burger{}; 1 strawberry_shake{}, has 1 vanilla_shake{}",
    "burger-blind34-25": "lacks 1 ham_burger{}, has 1 ham_burger{onion}",
    "burger-blind36-16": "lacks 1 cheese_burger{lettuce,onion,tomato}, has 1 cheese_burger{ke...",
    "burger-blind36-21": "lacks 1 chicken_sandwich{mayonnaise (extra)}, has 1 zero_sugar_lemo...",
    "burger-blind36-30": "lacks 1 chocolate_shake{large}, has 1 vanilla_shake{large}",
    "burger-blind38-06": "lacks 1 root_beer{large}, has 1 root_beer{medium}",
    "burger-blind38-21": "lacks 2 cheese_burger; 2 french_fries{medium}, has 2 cheese_burger{...",
    "burger-blind41-23": "lacks 1 cheese_burger{tomato}, has 1 cheese_burger{cheddar,tomato}",
    "burger-blind42-05": "lacks 5 apple_slices; 5 cheese_burger; 1 coffee; 1 double_cheese_bu...",
    "burger-blind42-09": "lacks 5 french_fries{large}, has 1 ham_burger",
    "burger-blind42-13": "has 1 cheese_burger",
    "burger-blind42-23": "lacks 1 salad, has 1 chicken_sandwich",
    "burger-blind42-26": "lacks 5 dr_pepper{medium}; 5 french_fries{medium}, has 1 double_che...",
    "burger-blind42-29": "has 2 cheese_burger; 1 chicken_sandwich",
    "burger-blind43-10": "lacks 1 french_fries{large}, has 1 french_fries",
    "burger-blind44-07": "lacks 1 chocolate_shake{small}; 1 strawberry_shake{small}",
    "burger-blind45-10": "lacks 1 cheese_burger{all_toppings}, has 1 cheese_burger{all_toppin...",
    "burger-blind45-13": "lacks 1 strawberry_shake{large}, has 1 vanilla_shake{large}",
    "burger-blind45-25": "lacks 1 cheese_burger{bacon}, has 1 cheese_burger",
    "burger-blind45-27": "has 2 chicken_sandwich",
    "burger-blind46-13": "lacks 1 x diet_coke {drink_size=large}; 2 x french_fries {side_size...",
    "burger-blind47-25": "lacks 1 x curly_fries {side_size=small}; 1 x french_fries {side_siz...",
    "burger-blind47-26": "lacks 1 x chocolate_shake {drink_size=large}, has 1 x vanilla_shake...",
    "burger-blind50-04": "lacks 1 x sweet_potato_fries {side_size=large}, has 1 x sweet_potat...",
    "burger-blind50-13": "has 1 x coffee {drink_size=large}",
    "burger-blind50-18": "lacks 1 x iced_tea {drink_size=large}",
    "burger-blind51-25": "lacks 1 x double_cheese_burger {toppings=cheddar (extra), toppings=...",
    "burger-blind53-29": "lacks 2 x cheese_burger; 1 x cheese_burger {toppings=pickle (extra)...",
    "burger-blind57-10": "lacks , has 1 x zero_sugar_lemonade",
    "burger-blind66-14": "lacks 1 x ham_burger {toppings=bacon, toppings=cheddar}; 1 x ham_bu...",
    "burger-blind66-15": "lacks 1 x chicken_sandwich {no toppings=tomato}",
    "burger-blind66-18": "has 1 x ham_burger",
    "burger-blind66-26": "lacks 2 x chocolate_shake {drink_size=large}, has 2 x chocolate_shake",
    "burger-blind67-20": "lacks 1 x ham_burger {toppings=bacon, toppings=cheddar}, has 1 x ha...",
    "burger-blind68-14": "lacks 1 x pink_lemonade {drink_size=large}, has 1 x zero_sugar_lemo...",
    "burger-blind69-01": "lacks 1 x cheese_burger {toppings=all_toppings}, has 1 x cheese_bur...",
    "burger-blind69-07": "lacks 1 x ham_burger, has 1 x ham_burger {toppings=ketchup}",
    "burger-blind69-12": "lacks 1 x double_cheese_burger {no toppings=onion, no toppings=toma...",
    "burger-blind69-13": "lacks 2 x chocolate_shake; 3 x curly_fries; 1 x strawberry_shake",
    "burger-blind70-16": "lacks 1 x chicken_sandwich {toppings=lettuce}, has 1 x chicken_sand...",
    "burger-blind71-15": "lacks , has 1 x french_fries",
    "burger-blind72-05": "lacks , has 1 x ham_burger {toppings=bacon}",
    "burger-blind72-14": "lacks 1 x chicken_sandwich, has ",
    "burger-blind72-30": "lacks 1 x strawberry_shake {drink_size=medium}, has 1 x chocolate_s...",
    "burger-blind73-22": "lacks 1 x double_cheese_burger {toppings=blue_cheese (extra)}, has ...",
    "burger-blind76-09": "lacks 1 x cheese_burger {toppings=blue_cheese, toppings=onion}, has...",
    "burger-blind76-15": "turn 1: reply lacks 'cheeseburger'",
    "burger-blind78-27": "lacks 2 x cheese_burger, has ",
    "burger-blind79-15": "lacks 1 x cheese_burger, has 1 x cheese_burger {toppings=cheddar}",
    "burger-blind79-18": "lacks 3 x coca_cola; 4 x french_fries {side_size=medium}, has 4 x c...",
    "burger-blind82-13": "lacks 1 x vanilla_shake, has 1 x chocolate_shake",
    "burger-blind82-15": "lacks 1 x cheese_burger {toppings=lettuce}, has 1 x cheese_burger {...",
    "burger-blind82-18": "lacks 1 x ham_burger; 1 x ham_burger {toppings=ketchup}, has 2 x ha...",
    "burrito-blind1-20": "lacks 1 mexican_coca_cola",
    "burrito-blind3-13": "turn 1: reply lacks 'tofu'",
    "burrito-blind3-25": "lacks 1 burrito{chicken,green_chili_salsa,red_chili_salsa}, has 1 b...",
    "burrito-blind4-03": "lacks 1 burrito{barbacoa,red_chili_salsa (extra)}, has 1 burrito{ba...",
    "burrito-blind4-23": "lacks 1 bottled_water, has 1 taco",
    "burrito-blind4-24": "lacks 1 chips{green_chili_salsa}, has 1 chips",
    "burrito-blind5-10": "lacks 1 burrito{chicken,steak,white_rice (light),red_chili_salsa (e...",
    "burrito-blind7-09": "turn 3: reply lacks '15.00'",
    "burrito-blind9-23": "lacks 1 tractor_lemonade, has 2 burrito{chicken}",
    "burrito-blind11-08": "lacks 1 burrito{black_beans (extra),steak,white_rice (light),green_...",
    "burrito-blind11-11": "lacks 1 burrito{black_beans,carnitas,brown_rice,red_chili_salsa,che...",
    "burrito-blind12-17": "turn 1: reply lacks 'cauliflower'",
    "burrito-blind12-20": "has 1 chips",
    "burrito-blind14-18": "has 2 burrito",
    "burrito-blind14-21": "lacks 1 taco{chicken}; 2 taco{steak,no sour_cream}; 1 taco{carnitas...",
    "burrito-blind14-23": "has 2 burrito",
    "burrito-blind15-16": "lacks 1 burrito_bowl{black_beans,chicken,white_rice,fresh_tomato_sa...",
    "burrito-blind16-19": "lacks 1 burrito_bowl{barbacoa,fresh_tomato_salsa,romaine_lettuce (e...",
    "burrito-blind20-09": "lacks 1 burrito {beans=black_beans, main_filling=carnitas (extra), ...",
    "burrito-blind20-18": "lacks 1 quesadilla {main_filling=chicken}, has 1 quesadilla {main_f...",
    "burrito-blind21-08": "lacks 1 burrito_bowl {beans=black_beans, main_filling=chicken, rice...",
    "burrito-blind21-14": "lacks 1 burrito {main_filling=steak, salsa=corn_salsa, salsa=green_...",
    "burrito-blind21-19": "lacks 1 burrito {main_filling=chicken}; 1 burrito {main_filling=chi...",
    "burrito-blind21-27": "lacks 1 burrito {main_filling=chicken}; 2 burrito {main_filling=chi...",
    "burrito-blind21-28": "lacks 1 burrito_bowl {beans=black_beans, main_filling=steak, rice=b...",
    "burrito-blind21-30": "lacks 2 burrito {main_filling=steak}; 1 quesadilla {main_filling=ch...",
    "burrito-blind24-18": "lacks 1 burrito_bowl{black_beans,brown_rice,cheese,chicken}; 1 burr...",
    "burrito-blind29-05": "lacks 1 chips, has 2 queso_blanco",
    "burrito-blind29-14": "lacks 1 burrito_bowl{tofu, cauliflower_rice}, has 1 burrito_bowl{to...",
    "burrito-blind29-30": "has 1 taco",
    "burrito-blind30-10": "lacks 1 quesadilla{steak}",
    "burrito-blind31-02": "lacks 1 burrito{black_beans,carnitas,guacamole (extra),white_rice},...",
    "burrito-blind31-10": "lacks 1 burrito{barbacoa,black_beans,white_rice}, has 2 burrito{bar...",
    "burrito-blind31-15": "lacks 1 burrito{chicken,white_rice}; 1 burrito_bowl{barbacoa,white_...",
    "burrito-blind31-16": "lacks 1 burrito{black_beans,brown_rice,chicken,fajita_veggies,guaca...",
    "burrito-blind31-17": "lacks 1 burrito_bowl{black_beans,brown_rice,chicken}; 2 burrito_bow...",
    "burrito-blind31-20": "lacks 1 burrito{chicken (extra)}",
    "burrito-blind31-24": "lacks 1 burrito{barbacoa,sour_cream (extra)}; 1 burrito{chicken}; 1...",
    "burrito-blind33-30": "lacks 1 burrito_bowl{black_beans,chicken (extra),corn_salsa,fresh_t...",
    "burrito-blind34-07": "lacks 3 taco{chicken}, has 3 burrito{chicken (extra)}",
    "burrito-blind34-08": "turn 3: reply lacks '8.75'",
    "burrito-blind34-10": "lacks 1 burrito_bowl{chicken,corn_salsa,guacamole}, has 1 guacamole...",
    "burrito-blind34-14": "has 1 burrito{carnitas}",
    "burrito-blind34-22": "lacks 1 burrito_bowl{carnitas,cauliflower_rice,green_chili_salsa (e...",
    "burrito-blind36-21": "lacks 1 salad{steak,tofu,romaine_lettuce (extra)}, has 1 salad{stea...",
    "burrito-blind36-30": "lacks 1 burrito{black_beans,steak,brown_rice}; 1 burrito_bowl{chick...",
    "burrito-blind38-15": "lacks 1 nantucket_apple_juice; 1 quesadilla{chicken}, has 2 tractor...",
    "burrito-blind39-09": "lacks 3 taco{chicken,green_chili_salsa}; 3 taco{steak,red_chili_sal...",
    "burrito-blind39-11": "lacks 1 burrito{black_beans,carnitas}, has 1 burrito{black_beans,ca...",
    "burrito-blind39-19": "lacks 1 chips{red_chili_salsa}, has 1 chips{green_chili_salsa}",
    "burrito-blind39-25": "lacks 1 burrito_bowl{pinto_beans,carnitas,white_rice,red_chili_sals...",
    "burrito-blind40-12": "lacks 1 burrito{black_beans,carnitas,white_rice,green_chili_salsa,r...",
    "burrito-blind41-14": "lacks 1 bottled_water",
    "burrito-blind41-28": "lacks 1 burrito_bowl{pinto_beans,steak,brown_rice,green_chili_salsa...",
    "burrito-blind42-09": "lacks 3 burrito_bowl{chicken,white_rice}, has 3 burrito_bowl{veggie...",
    "burrito-blind42-14": "lacks 5 quesadilla{chicken}",
    "burrito-blind42-16": "lacks 2 burrito_bowl{chicken,guacamole}; 2 burrito_bowl{steak,guaca...",
    "burrito-blind42-17": "lacks 3 taco{carnitas}; 2 taco{chicken,green_chili_salsa}; 3 taco{c...",
    "burrito-blind42-21": "lacks 1 salad{steak,corn_salsa}; 1 salad{steak,red_chili_salsa}, ha...",
    "burrito-blind42-24": "lacks 2 burrito_bowl{black_beans,chicken,cauliflower_rice}; 1 burri...",
    "burrito-blind42-25": "lacks 4 taco{steak,green_chili_salsa}; 4 taco{steak,red_chili_salsa...",
    "burrito-blind42-28": "lacks 3 burrito{chicken}, has 3 burrito{veggie}",
    "burrito-blind43-18": "lacks 1 nantucket_pineapple_orange_juice",
    "burrito-blind43-30": "lacks 1 burrito{black_beans,tofu,brown_rice,red_chili_salsa,cheese ...",
    "burrito-blind44-15": "lacks 1 guacamole, has 1 burrito{guacamole}",
    "burrito-blind45-05": "lacks 1 burrito_bowl{pinto_beans,tofu,brown_rice (light),corn_salsa...",
    "burrito-blind46-19": "lacks 1 x burrito {beans=black_beans, main_filling=chicken, rice=wh...",
    "burrito-blind46-23": "lacks 1 x salad {main_filling=tofu, salsa=green_chili_salsa (light)...",
    "burrito-blind46-28": "lacks 1 x burrito_bowl {main_filling=carnitas, rice=brown_rice}; 1 ...",
    "burrito-blind47-05": "lacks 1 x burrito_bowl {beans=black_beans, main_filling=chicken, ri...",
    "burrito-blind47-12": "lacks 1 x taco {main_filling=steak, toppings=sour_cream}, has 1 x t...",
    "burrito-blind48-21": "lacks 1 x nantucket_peach_orange_juice",
    "burrito-blind48-28": "lacks 1 x burrito {beans=pinto_beans, main_filling=chicken, main_fi...",
    "burrito-blind50-29": "lacks 1 x burrito {beans=pinto_beans, main_filling=veggie, rice=whi...",
    "burrito-blind51-17": "lacks 1 x burrito_bowl {main_filling=chicken, salsa=corn_salsa}, ha...",
    "burrito-blind53-10": "lacks 1 x burrito_bowl {beans=black_beans, main_filling=chicken, ri...",
    "burrito-blind53-13": "lacks 1 x quesadilla {main_filling=chicken}; 1 x quesadilla {main_f...",
    "burrito-blind53-17": "lacks 2 x taco {main_filling=chicken, toppings=cheese, toppings=rom...",
    "burrito-blind53-26": "lacks 1 x burrito_bowl {beans=black_beans, main_filling=steak (extr...",
    "burrito-blind60-22": "lacks 2 x quesadilla {main_filling=chicken}; 1 x quesadilla {main_f...",
    "burrito-blind66-09": "lacks 1 x burrito {main_filling=steak, salsa=fresh_tomato_salsa}, h...",
    "burrito-blind66-11": "lacks 1 x burrito {main_filling=chicken, rice=white_rice (light)}; ...",
    "burrito-blind66-17": "has 1 x blackberry_izze",
    "burrito-blind66-18": "lacks 1 x queso_blanco",
    "burrito-blind66-20": "lacks 1 x burrito {main_filling=chicken, salsa=green_chili_salsa}; ...",
    "burrito-blind67-13": "lacks 1 x quesadilla {main_filling=carnitas}",
    "burrito-blind67-21": "lacks 1 x burrito_bowl {beans=pinto_beans, main_filling=veggie, ric...",
    "burrito-blind68-15": "lacks 1 x burrito {beans=black_beans, main_filling=veggie, rice=cau...",
    "burrito-blind68-23": "lacks 1 x burrito {beans=pinto_beans, main_filling=chicken, rice=wh...",
    "burrito-blind69-01": "lacks 2 x burrito {beans=black_beans, main_filling=chicken, rice=wh...",
    "burrito-blind69-06": "lacks 1 x burrito {beans=pinto_beans, main_filling=chicken, rice=wh...",
    "burrito-blind69-27": "lacks 1 x burrito {beans=pinto_beans, main_filling=barbacoa, salsa=...",
    "burrito-blind70-08": "lacks 1 x burrito {beans=pinto_beans, main_filling=steak, rice=whit...",
    "burrito-blind70-11": "lacks 1 x burrito_bowl {beans=black_beans, main_filling=barbacoa, r...",
    "burrito-blind70-24": "lacks 1 x quesadilla {main_filling=chicken, toppings=fajita_veggies...",
    "burrito-blind71-13": "lacks 1 x taco {main_filling=steak, salsa=fresh_tomato_salsa, toppi...",
    "burrito-blind72-10": "lacks 2 x taco {main_filling=steak, toppings=cheese, toppings=romai...",
    "burrito-blind72-27": "lacks , has 1 x burrito_bowl {main_filling=carnitas}",
    "burrito-blind72-28": "lacks 1 x burrito {beans=black_beans, main_filling=steak}; 1 x burr...",
    "burrito-blind73-17": "lacks 1 x burrito {main_filling=chicken, rice=white_rice, no toppin...",
    "burrito-blind73-21": "lacks 1 x burrito {beans=pinto_beans, main_filling=chicken (extra),...",
    "burrito-blind74-01": "lacks 1 x burrito {beans=black_beans, main_filling=chicken (extra)}...",
    "burrito-blind75-07": "lacks 1 x burrito_bowl {main_filling=tofu, rice=brown_rice, salsa=g...",
    "burrito-blind75-28": "lacks 1 x nantucket_apple_juice, has ",
    "burrito-blind76-06": "lacks 1 x burrito_bowl {main_filling=veggie, toppings=fajita_veggie...",
    "burrito-blind78-25": "lacks 3 x burrito_bowl {main_filling=chicken, rice=white_rice, topp...",
    "burrito-blind79-13": "lacks 1 x chips, has ",
    "burrito-blind79-18": "lacks 1 x burrito {main_filling=carnitas}, has 1 x burrito_bowl {ma...",
    "burrito-blind79-24": "lacks 2 x taco {main_filling=barbacoa, salsa=red_chili_salsa}, has ...",
    "burrito-blind79-28": "lacks , has 1 x burrito {main_filling=chicken, main_filling=steak, ...",
    "burrito-blind80-17": "lacks 3 x taco {main_filling=carnitas, toppings=cheese}; 3 x taco {...",
    "burrito-blind82-14": "lacks 1 x burrito_bowl {beans=black_beans, main_filling=chicken, ri...",
    "burrito-blind82-21": "lacks 1 x salad {main_filling=chicken, salsa=corn_salsa, toppings=g...",
    "burrito-blind82-28": "lacks 2 x taco {main_filling=chicken, toppings=cheese}; 2 x taco {m...",
    "burrito-blind84-13": "lacks 2 x burrito_bowl {main_filling=chicken}, has 2 x burrito_bowl...",
    "coffee-blind4-02": "lacks 1 cappuccino{large}; 2 latte{large,iced}; 1 latte{large,skinn...",
    "coffee-blind4-23": "lacks 1 espresso{italian,espresso_shot_1}, has 1 espresso{italian,e...",
    "coffee-blind4-24": "lacks 1 latte{large,no foam,hazelnut_syrup}, has 1 latte{large,no f...",
    "coffee-blind4-25": "lacks 1 hot_chocolate{regular,whipped_cream (extra)}, has 1 hot_cho...",
    "coffee-blind6-23": "turn 1: MENU_CARD lacks 'latte'; turn 1: MENU_CARD lacks 'espresso'",
    "coffee-blind10-22": "lacks 1 cappuccino{large,cinnamon,foam (extra)}, has 1 cappuccino{l...",
    "coffee-blind11-06": "lacks 1 cappuccino{regular,cinnamon}, has 1 cappuccino{regular,cinn...",
    "coffee-blind11-08": "lacks 1 americano{extra_large,iced,espresso_shot_4}, has 1 drip_cof...",
    "coffee-blind11-22": "lacks 1 latte{light_roast,large,skinny,honey,vanilla_syrup (light)}...",
    "coffee-blind11-23": "lacks 1 hot_chocolate{regular,whipped_cream}; 1 hot_chocolate{small...",
    "coffee-blind12-16": "lacks 1 latte{large,skinny}; 1 latte{small}, has 1 drip_coffee{smal...",
    "coffee-blind14-06": "lacks 2 latte{small,iced}, has 2 latte{iced}; 1 cappuccino{small}",
    "coffee-blind17-07": "lacks 1 americano{large}",
    "coffee-blind21-04": "lacks 1 americano {size=small, toppings=espresso_shot_1}; 1 latte {...",
    "coffee-blind21-07": "lacks 1 latte {size=extra_large, style=iced}, has 1 drip_coffee {si...",
    "coffee-blind21-15": "lacks 1 americano {toppings=espresso_shot_1}; 1 drip_coffee {roast=...",
    "coffee-blind21-27": "lacks 1 espresso, has 2 espresso",
    "coffee-blind26-21": "lacks 1 drip_coffee{large,light_roast}, has 1 drip_coffee{light_roa...",
    "coffee-blind28-06": "lacks 1 cappuccino{large}, has 1 cappuccino",
    "coffee-blind28-19": "lacks 1 cappuccino{regular, decaf, cinnamon}, has 1 cappuccino{regu...",
    "coffee-blind28-26": "lacks 2 americano{extra_large}; 1 latte{extra_large, caramel_syrup}...",
    "coffee-blind32-09": "lacks 1 drip_coffee{french,large}",
    "coffee-blind32-14": "has 1 americano{iced}",
    "coffee-blind34-29": "lacks 1 cappuccino{large,iced,cinnamon_dolce_syrup}; 1 drip_coffee{...",
    "coffee-blind35-08": "lacks 1 hot_chocolate{small,no whipped_cream}, has 1 drip_coffee{sm...",
    "coffee-blind38-20": "lacks 1 hot_chocolate{small}, has 1 hot_chocolate{small,iced}",
    "coffee-blind40-08": "has 1 drip_coffee",
    "coffee-blind40-20": "lacks 1 drip_coffee{light_roast,honey}, has 1 drip_coffee{light_roa...",
    "coffee-blind40-22": "lacks 1 americano{italian,large}; 1 latte{continental_roast,large},...",
    "coffee-blind42-11": "lacks 1 americano{large}; 1 drip_coffee{french,regular}; 1 latte{sm...",
    "coffee-blind42-14": "lacks 1 cappuccino{regular}; 1 latte{large,iced,caramel_syrup}; 1 l...",
    "coffee-blind42-25": "lacks 2 drip_coffee{guatemalan,regular}, has 2 drip_coffee{guatemal...",
    "coffee-blind42-30": "lacks 1 cappuccino{regular}, has 1 drip_coffee{large}",
    "coffee-blind44-18": "lacks 1 hot_chocolate{drizzles,whipped_cream}, has 1 hot_chocolate{...",
    "coffee-blind45-12": "lacks 1 americano{guatemalan}; 1 latte{italian,large}, has 1 latte{...",
    "coffee-blind45-20": "lacks 1 latte{small}, has 1 latte{large}",
    "coffee-blind45-28": "lacks 1 latte{large,iced}, has 1 americano{large,iced}",
    "coffee-blind46-04": "lacks 1 x latte {size=large, style=skinny}, has 1 x latte {size=large}",
    "coffee-blind47-08": "has 4 x drip_coffee",
    "coffee-blind48-12": "lacks 2 x latte {size=small}, has 1 x drip_coffee {size=large}",
    "coffee-blind50-26": "lacks 1 x americano {roast=continental_roast, size=extra_large, top...",
    "coffee-blind51-07": "has 1 x drip_coffee {toppings=espresso_shot_1}",
    "coffee-blind51-26": "lacks 1 x drip_coffee {roast=full_city_roast, size=large}, has 1 x ...",
    "coffee-blind53-16": "lacks 1 x drip_coffee {roast=dark_roast, size=large}; 1 x drip_coff...",
    "coffee-blind53-17": "lacks 2 x latte {toppings=whipped_cream}, has 2 x americano; 3 x latte",
    "coffee-blind56-24": "lacks 1 x americano {size=large, style=iced, toppings=vanilla_syrup...",
    "coffee-blind57-21": "lacks 1 x latte {size=large, style=skinny}, has 1 x drip_coffee {si...",
    "coffee-blind60-26": "lacks 4 x latte {size=large, style=iced}; 1 x latte {size=large, st...",
    "coffee-blind63-26": "lacks 2 x hot_chocolate {size=small, toppings=whipped_cream}, has 2...",
    "coffee-blind65-04": "lacks 1 x latte {style=iced, toppings=hazelnut_syrup}, has 1 x latt...",
    "coffee-blind65-27": "lacks 1 x americano {roast=light_roast}; 1 x latte {roast=dark_roas...",
    "coffee-blind66-29": "lacks 1 x latte {size=large}; 3 x latte {size=large, style=skinny},...",
    "coffee-blind67-07": "lacks 1 x latte {size=extra_large, toppings=hazelnut_syrup (light)}...",
    "coffee-blind68-10": "lacks 1 x latte {size=large, style=iced}, has 1 x latte {size=large}",
    "coffee-blind68-24": "lacks 1 x americano {size=small}, has 1 x americano {size=large}",
    "coffee-blind68-28": "lacks 1 x americano {style=decaf, style=iced}, has 1 x americano {s...",
    "coffee-blind69-01": "lacks 1 x latte {style=decaf}; 2 x latte {style=iced}, has 1 x drip...",
    "coffee-blind69-06": "lacks 1 x latte {style=iced}, has 1 x drip_coffee {style=iced}; 1 x...",
    "coffee-blind69-15": "has 1 x latte {toppings=raspberry_syrup}; 1 x latte {toppings=vanil...",
    "coffee-blind69-27": "lacks 1 x latte {size=large, style=flavored}, has 1 x drip_coffee {...",
    "coffee-blind70-05": "lacks 1 x hot_chocolate {size=small}, has 1 x hot_chocolate {size=s...",
    "coffee-blind70-27": "has 1 x hot_chocolate {style=iced, toppings=whipped_cream}",
    "coffee-blind71-04": "lacks 1 x latte {size=regular, style=iced, style=skinny, toppings=v...",
    "coffee-blind71-14": "lacks 1 x latte {size=large, style=iced, toppings=vanilla_syrup}, h...",
    "coffee-blind71-20": "lacks 1 x hot_chocolate {size=small, toppings=whipped_cream}, has 1...",
    "coffee-blind72-12": "lacks 3 x americano {toppings=espresso_shot_1}, has ",
    "coffee-blind72-16": "lacks 1 x latte {size=small, toppings=honey}, has 2 x latte {size=s...",
    "coffee-blind72-17": "lacks 1 x latte {size=small, style=decaf}, has ",
    "coffee-blind73-24": "lacks 1 x americano {size=large, toppings=espresso_shot_1}, has 1 x...",
    "coffee-blind74-05": "lacks 1 x espresso; 1 x espresso {style=decaf}, has ",
    "coffee-blind74-09": "lacks 1 x hot_chocolate {size=small, toppings=whipped_cream}, has 1...",
    "coffee-blind74-25": "lacks , has 1 x hot_chocolate",
    "coffee-blind74-28": "lacks 1 x americano {roast=dark_roast, size=regular, toppings=honey...",
    "coffee-blind75-11": "lacks 1 x hot_chocolate {size=small, no toppings=whipped_cream}, ha...",
    "coffee-blind77-04": "lacks 1 x americano, has ",
    "coffee-blind79-01": "lacks 1 x latte {size=large, toppings=vanilla_syrup}, has 1 x latte...",
    "coffee-blind79-13": "lacks 1 x drip_coffee {size=regular}, has 1 x drip_coffee",
    "coffee-blind79-18": "lacks , has 1 x hot_chocolate {style=iced}",
    "coffee-blind82-17": "lacks 1 x latte {style=iced, style=skinny, toppings=hazelnut_syrup}...",
    "coffee-blind82-27": "lacks 1 x cappuccino {style=iced}; 1 x latte {style=skinny, topping...",
    "coffee-blind84-03": "has 1 x drip_coffee",
    "coffee-blind84-11": "lacks 1 x cappuccino {size=large, toppings=caramel_syrup}, has 1 x ...",
    "sub-blind4-01": "lacks 1 chocolate_chip",
    "sub-blind4-04": "lacks 1 cold_cut_combo{lettuce}, has 1 cold_cut_combo",
    "sub-blind4-06": "lacks 1 turkey_breast{lettuce,provolone,tomatoes}, has 1 turkey_bre...",
    "sub-blind4-18": "lacks 1 italian{provolone}; 1 meatball_marinara{pepperjack}, has 1 ...",
    "sub-blind4-22": "lacks 1 italian{black_olives (extra),no red_onions}, has 1 italian{...",
    "sub-blind4-23": "lacks 1 chocolate_chip; 1 meatball_marinara{provolone}, has 1 meatb...",
    "sub-blind4-25": "lacks 1 steak_and_cheese{green_peppers,pepperjack (light)}, has 1 s...",
    "sub-blind7-12": "has 2 chocolate_chip",
    "sub-blind8-17": "lacks 2 raspberry_cheesecake, has 5 chocolate_chip",
    "sub-blind8-22": "lacks 3 coca_cola, has 1 dasani_water",
    "sub-blind11-08": "has 1 chicken_and_bacon_ranch",
    "sub-blind11-10": "lacks 3 oatmeal_raisin, has 5 chocolate_chip",
    "sub-blind12-25": "lacks 1 cold_cut_combo{lettuce,yellow_mustard}, has 1 cold_cut_comb...",
    "sub-blind14-19": "lacks 1 turkey_breast{swiss}; 1 black_forest_ham{swiss}; 1 veggie{c...",
    "sub-blind21-06": "lacks 1 italian {toppings=jalapenos, toppings=pepperjack}, has 1 it...",
    "sub-blind21-13": "lacks 1 italian {toppings=pepperoni (extra)}; 3 sunchips_harvest_ch...",
    "sub-blind21-18": "lacks 1 steak_and_cheese",
    "sub-blind21-19": "lacks 1 veggie {toppings=cucumbers, toppings=oil, toppings=red_wine...",
    "sub-blind21-20": "turn 1: reply lacks 'cookie'",
    "sub-blind28-04": "lacks 2 honest_kids_super_fruit_punch, has 1 honest_kids_super_frui...",
    "sub-blind28-20": "lacks 1 black_forest_ham",
    "sub-blind29-28": "lacks 1 vitamin_water, has 2 vitamin_water",
    "sub-blind32-10": "turn 2: reply lacks 'Doritos'",
    "sub-blind32-13": "lacks 1 turkey_breast{bacon}, has 1 turkey_breast{no bacon}",
    "sub-blind32-19": "lacks 2 miss_vickies_jalapeno, has 2 lays_classic",
    "sub-blind34-06": "lacks 1 cold_cut_combo{pepperjack,regular_mayonnaise}",
    "sub-blind34-07": "lacks 1 chicken_and_bacon_ranch{}",
    "sub-blind34-20": "has 1 lays_classic{}",
    "sub-blind34-22": "lacks 1 buffalo_chicken{ranch}; 1 veggie{guacamole}, has 1 buffalo_...",
    "sub-blind34-24": "has 1 meatball_marinara{parmesan_cheese}",
    "sub-blind34-29": "has 1 oven_roasted_chicken{}",
    "sub-blind36-26": "lacks 1 tuna{lettuce,no regular_mayonnaise}, has 1 tuna{lettuce}",
    "sub-blind36-30": "lacks 2 sweet_onion_chicken_teriyaki{}, has 2 sweet_onion_chicken_t...",
    "sub-blind37-25": "lacks 1 oatmeal_raisin{}",
    "sub-blind39-21": "lacks 1 oven_roasted_chicken{cucumbers,lettuce,regular_mayonnaise,s...",
    "sub-blind40-07": "lacks 1 tuna{black_olives,black_pepper,lettuce,pickles,salt}, has 1...",
    "sub-blind41-16": "turn 2: reply lacks '8.25'",
    "sub-blind41-29": "lacks 1 sweet_onion_chicken_teriyaki, has 1 steak_and_cheese",
    "sub-blind42-12": "lacks 1 meatball_marinara{parmesan_cheese (extra)}, has 1 meatball_...",
    "sub-blind42-14": "lacks 1 veggie{no tomatoes}, has 1 turkey_breast{no tomatoes}",
    "sub-blind42-17": "lacks 3 dasani_water, has 1 cold_cut_combo{lettuce,provolone,red_on...",
    "sub-blind42-26": "lacks 2 black_forest_ham{swiss}; 2 turkey_breast{monterey_cheddar},...",
    "sub-blind42-27": "lacks 1 tuna{lettuce,tomatoes}, has 1 italian; 1 tuna",
    "sub-blind45-14": "lacks 1 black_forest_ham{provolone}; 1 turkey_breast{swiss}, has 1 ...",
    "sub-blind45-17": "lacks 1 buffalo_chicken{caesar_sauce}, has 1 buffalo_chicken{caesar...",
    "sub-blind45-19": "lacks 1 sweet_onion_chicken_teriyaki{no red_onions,sweet_onion_sauc...",
    "sub-blind45-30": "lacks 1 cold_cut_combo{pepperjack}; 1 tuna{cucumbers}, has 1 cold_c...",
    "sub-blind46-18": "lacks 1 x buffalo_chicken {toppings=ranch}; 1 x veggie {toppings=vi...",
    "sub-blind46-27": "lacks 1 x buffalo_chicken {toppings=buffalo_sauce (light), toppings...",
    "sub-blind47-14": "lacks 1 x oven_roasted_chicken {toppings=honey_mustard, toppings=sw...",
    "sub-blind47-15": "lacks 1 x meatball_marinara {toppings=provolone (extra)}, has 1 x s...",
    "sub-blind50-15": "has 2 x chocolate_chip",
    "sub-blind53-14": "lacks 1 x veggie {toppings=black_olives, toppings=swiss}; 2 x veggi...",
    "sub-blind55-20": "lacks 1 x chicken_and_bacon_ranch {no toppings=bacon}, has 1 x chic...",
    "sub-blind63-05": "turn 2: reply lacks '9.75'",
    "sub-blind63-30": "lacks 1 x turkey_breast {toppings=cucumbers, toppings=green_peppers...",
    "sub-blind66-03": "lacks 1 x black_forest_ham; 2 x black_forest_ham {toppings=american...",
    "sub-blind66-09": "lacks 1 x italian {toppings=lettuce, toppings=oil, toppings=red_oni...",
    "sub-blind66-14": "has 1 x italian {toppings=pepperoni}",
    "sub-blind66-16": "lacks 4 x turkey_breast {toppings=lettuce}",
    "sub-blind66-19": "lacks 1 x turkey_breast {toppings=black_olives, toppings=cucumbers,...",
    "sub-blind66-23": "lacks 3 x black_forest_ham {toppings=american_cheese, toppings=regu...",
    "sub-blind66-25": "lacks 2 x honest_kids_super_fruit_punch; 1 x raspberry_cheesecake",
    "sub-blind66-26": "lacks 1 x steak_and_cheese {no toppings=green_peppers}, has 1 x ste...",
    "sub-blind68-19": "lacks 1 x buffalo_chicken {toppings=buffalo_sauce, toppings=pepperj...",
    "sub-blind68-25": "has 3 x black_forest_ham {toppings=honey_mustard, toppings=lettuce}",
    "sub-blind69-12": "lacks 1 x turkey_breast {toppings=guacamole, toppings=swiss}, has 1...",
    "sub-blind69-25": "turn 1: reply lacks 'cookie'",
    "sub-blind70-29": "lacks 1 x lays_classic",
    "sub-blind71-06": "lacks , has 1 x chocolate_chip",
    "sub-blind71-09": "lacks 1 x black_forest_ham {toppings=american_cheese}, has 1 x blac...",
    "sub-blind71-11": "turn 1: reply lacks 'cookie'",
    "sub-blind71-25": "lacks 1 x black_forest_ham {no toppings=pickles, toppings=swiss, to...",
    "sub-blind72-26": "lacks 1 x meatball_marinara {no toppings=red_onions}, has ",
    "sub-blind73-10": "lacks 1 x buffalo_chicken {toppings=ranch (extra)}, has 1 x buffalo...",
    "sub-blind73-18": "lacks 1 x tuna {toppings=pickles, toppings=red_onions}, has 1 x tun...",
    "sub-blind77-20": "lacks , has 1 x meatball_marinara",
    "sub-blind79-18": "lacks 1 x oven_roasted_chicken, has 1 x chicken_and_bacon_ranch {no...",
    "sub-blind79-24": "lacks 1 x veggie {toppings=vinaigrette}, has 1 x veggie",
    "sub-blind80-09": "lacks 1 x chicken_and_bacon_ranch {toppings=monterey_cheddar}, has ...",
    "sub-blind80-14": "lacks 1 x italian {no toppings=green_peppers, toppings=jalapenos, n...",
    "sub-blind82-24": "lacks 1 x veggie {toppings=black_olives, toppings=cucumbers}; 1 x v...",
    "sub-blind82-26": "lacks 1 x sweet_onion_chicken_teriyaki {toppings=american_cheese, t...",
    "demo-blind4-01": "lacks 1 bacon_cheeseburger{medium_rare}; 1 pepperoni_pizza{large,ch...",
    "demo-blind4-23": "lacks 1 caesar_salad{ranch,chicken}, has 1 caesar_salad{chicken}; 1...",
    "demo-blind4-24": "lacks 2 chicken_wings{blue_cheese,ranch,12,garlic_parmesan}, has 2 ...",
    "demo-blind4-25": "lacks 1 cheese_pizza{thin,small}",
    "demo-blind6-04": "turn 2: reply lacks '15'",
    "demo-blind6-25": "turn 4: reply lacks '37.75'",
    "demo-blind7-23": "lacks 1 kale_quinoa_salad{no house,avocado,shrimp}, has 1 kale_quin...",
    "demo-blind9-11": "lacks 1 classic_cheeseburger{no onions,medium_well}, has 1 classic_...",
    "demo-blind9-15": "turn 1: reply lacks 'vegan'",
    "demo-blind10-13": "lacks 1 pepperoni_pizza{large,cheese (extra)}, has 1 pepperoni_pizz...",
    "demo-blind11-08": "lacks 1 chicken_wings{ranch,12,lemon_pepper}; 1 chicken_wings{ranch...",
    "demo-blind11-24": "lacks 1 classic_cheeseburger{sesame}; 1 classic_cheeseburger{avocad...",
    "demo-blind12-25": "lacks 1 chicken_wings{24,atomic (extra)}, has 1 chicken_wings{24,at...",
    "demo-blind13-04": "turn 4: reply lacks '9.50'",
    "demo-blind14-07": "lacks 1 pepperoni_pizza{large}, has 1 hawaiian_pizza{large,pepperon...",
    "demo-blind14-11": "lacks 1 tiramisu; 1 cannoli",
    "demo-blind14-18": "lacks 5 coke{bottle}",
    "demo-blind14-20": "has 1 chicken_wings{atomic}",
    "demo-blind15-11": "lacks 1 chicken_wings{blue_cheese,24,atomic}, has 24 chicken_wings{...",
}


def _cases() -> list[object]:
    cases: list[object] = []
    for venue in VENUES:
        for n, dialogue in enumerate(dialogues_of(venue), start=1):
            transport = "ws" if n % WEBSOCKET_EVERY == 0 else "sse"
            marks = []
            if dialogue.id in KNOWN_OPEN:
                marks.append(pytest.mark.xfail(reason=KNOWN_OPEN[dialogue.id], strict=True))
            cases.append(pytest.param(dialogue, transport, id=dialogue.id, marks=marks))
    return cases


class Venues:
    """One app at a time, serving one venue; what each conversation produced, by id."""

    def __init__(self, settings: Settings, database_url: str, wanted: list[tuple[Dialogue, str]]):
        self.settings = settings.model_copy(
            update={"db": settings.db.model_copy(update={"url": database_url})}
        )
        self.database_url = database_url
        self.wanted = wanted
        self.held: dict[str, Held] = {}
        self.server: LiveServer | None = None

    async def held_for(self, dialogue: Dialogue, transport: str) -> Held:
        """The conversation as held: its whole venue is held on the first call for it."""
        if dialogue.id not in self.held:
            await self._hold_venue(dialogue.venue, (dialogue, transport))
        return self.held[dialogue.id]

    async def _hold_venue(self, venue: str, asked: tuple[Dialogue, str]) -> None:
        self.stop()
        engine = create_async_engine(self.database_url)
        try:
            await import_menu_file(async_sessionmaker(engine), menu_file(venue))
        finally:
            await engine.dispose()
        self.server = LiveServer(self.settings.model_copy(update={"restaurant": venue}))
        self.server.start()
        work = [(d, t) for d, t in self.wanted if d.venue == venue and d.id not in self.held]
        if asked not in work:
            work.append(asked)
        for (dialogue, _), held in zip(work, await hold_all(self.server.url, work), strict=True):
            self.held[dialogue.id] = held

    def stop(self) -> None:
        """Stop the app of the venue held last."""
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture(scope="module")
def dialogue_db(make_database: Callable[[str], str]) -> str:
    """A migrated database of this module's own: the venues' menus go into it."""
    url = make_database("dialogues")
    upgrade(url)
    return url


@pytest.fixture(scope="module")
async def venues(
    request: pytest.FixtureRequest, app_settings: Settings, dialogue_db: str
) -> AsyncIterator[Venues]:
    """The conversations this run selected (`-k` included), held venue by venue."""
    wanted = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is request.module and callspec is not None:
            wanted.append((callspec.params["dialogue"], callspec.params["transport"]))
    held = Venues(app_settings, dialogue_db, wanted)
    yield held
    held.stop()


@pytest.mark.parametrize(("dialogue", "transport"), _cases())
async def test_dialogue_ends_with_its_cart_and_checks(
    venues: Venues, dialogue: Dialogue, transport: str
) -> None:
    held = await venues.held_for(dialogue, transport)
    verdict = judge(dialogue, held)
    if not verdict.passed:
        pytest.fail(f"over {transport}:\n{describe(dialogue, held, verdict)}", pytrace=False)


@pytest.mark.slow
def test_dialogues_runner_holds_a_file_and_writes_results(tmp_path: Path) -> None:
    """`python -m bench.dialogues` end to end on two conversations: its own stores, the menu
    imported with the CLI, the app as a process, the WebSocket; the verdicts are not asserted."""
    conversations = tmp_path / "two.jsonl"
    lines = (REPO / "tests/data/dialogues-dev/coffee.jsonl").read_text().splitlines()[:2]
    conversations.write_text("\n".join(lines) + "\n")
    out = tmp_path / "dialogues.json"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "bench.dialogues", "--file", str(conversations)),
            *("--venue", "coffee", "--transport", "ws", "--verbose", "--out", str(out)),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "coffee" in done.stdout and "/2" in done.stdout
    report = json.loads(out.read_text())
    assert report["command"].startswith("python -m bench.dialogues --file")
    assert [(r["venue"], r["set"]) for r in report["rows"]] == [("coffee", "two")]
    assert report["summary"]["conversations"] == 2
    # Every turn was sent and answered, and the cart read (a RUN_ERROR is the graph's: judged).
    for conversation in report["conversations"]:
        held, turns = conversation["turns_held"].split("/")
        assert held == turns, conversation
        assert conversation["cart_read"], conversation
    assert [c["id"] for c in report["conversations"]] == ["coffee-two-01", "coffee-two-02"]
    assert all(c["transport"] == "ws" for c in report["conversations"])

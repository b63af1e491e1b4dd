"""Offline intent classification: which of the graph's intents a message expresses, and the
details that come with it (a phone number, a code, an address, a price limit).

Rules are checked from the most specific (a six-digit code, a phone number) to the most general
(an order), so an order that mentions delivery is still an order. Short social messages ("yes",
"thanks", "bye") are recognised only when they are the whole message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from graph.intents import Intent, OrderType
from graph.nlu.people import groups_counted, is_person, party_size
from graph.nlu.words import NUMBER_WORDS, WARM_DISH, count_pattern

# --- details ---------------------------------------------------------------------------------

_PHONE = re.compile(r"(?<![\w$.])(\+?\(?\d[\d\s().\-]{5,}\d)(?![\w.]*\d)")
_CODE = re.compile(r"(?<![\d$.#])(\d{3})[\s-]?(\d{3})(?![\d.])")
_ORDER_NO = re.compile(
    r"\border\s*(?:number|num|no\.?|id|#)?\s*(?:is\s*)?#?\s*([a-z0-9]*\d[a-z0-9]*)\b", re.I
)
_ORDER_NO_HASH = re.compile(r"#\s*([a-z0-9]{3,12})\b", re.I)
_PRICE = re.compile(
    r"\b(?:under|less than|below|cheaper than|at most|max(?:imum)?|no more than|up to|within|"
    r"not more than|not over|for less than|around|about|for)\s*(?:a\s+)?\$?\s*(\d+(?:\.\d{1,2})?)"
    r"|\$\s*(\d+(?:\.\d{1,2})?)\s*(?:or less|or under|max|and under|tops)"
    r"|\b(\d+(?:\.\d{1,2})?)\s*(?:dollars|bucks)\s*(?:or less|or under|max|tops)?",
    re.I,
)
_ADDRESS = re.compile(
    r"(?:deliver(?:ed|y)?(?:\s+it)?\s+(?:to|at)|send (?:it|them|the order)\s+to|bring (?:it|them)"
    r"\s+to|address is|my address(?: is)?|ship (?:it )?to|drop (?:it )?off at|i live at|im at|"
    r"i'm at|we are at|we're at)\s*:?\s+(.+)",
    re.I,
)
# A word each way of giving an address above holds ("im at", "we're at": "m at", "e at"), so
# that an order without one is not searched. A message beyond ASCII always is: there the
# pattern's ignoring of case reaches further than lower() ("ſend it to" matches "send").
_ADDRESS_WORDS = ("deliver", "send", "bring", "address", "ship", "drop", "live", "m at", "e at")
# "12 Main Street, Springfield", "45 Oak Ave apt 3": a message that is only an address.
_BARE_ADDRESS = re.compile(
    r"^\d+[a-z]?\s+(?:[a-z.']+\s+){0,4}(?:st|street|ave|avenue|rd|road|blvd|boulevard|lane|ln|"
    r"dr|drive|way|ct|court|pl|place|pkwy|parkway|ter|terrace|hwy|highway|cir|circle|sq|square)"
    r"\b[\w\s,.#'-]*$",
    re.I,
)
_STREET_HINT = re.compile(r"\d|\b(st|street|ave|avenue|rd|road|blvd|lane|ln|dr|drive|way|apt)\b")

_TAGS: tuple[tuple[str, str], ...] = (
    (
        "vegetarian",
        r"vegetarian|veggie|meatless|(?:no|without) (?:any )?meat|meat ?free|plant based",
    ),
    ("vegan", r"vegan|plant based|no animal"),
    ("spicy", r"spicy|hot|heat|kick|fiery"),
    ("gluten_free", r"gluten free|gluten-free|no gluten|without gluten|celiac|\bgf\b"),
    ("halal", r"halal"),
    ("popular", r"popular|best ?sellers?|bestselling|favou?rites?|recommend\w*|signature|famous"),
    ("new", r"\bnew\b|latest"),
)
_TAG_RES = tuple((tag, re.compile(rf"\b(?:{pattern})")) for tag, pattern in _TAGS)
_ALLERGENS: tuple[tuple[str, str], ...] = (
    ("nuts", r"nuts?|peanuts?|tree nuts?|almonds?|walnuts?"),
    ("dairy", r"dairy|milk|lactose|cheese"),
    ("gluten", r"gluten|wheat"),
    ("egg", r"eggs?"),
    ("soy", r"soy"),
    ("shellfish", r"shellfish|shrimp"),
    ("fish", r"fish"),
    ("sesame", r"sesame"),
)
_ALLERGEN_RES = tuple(
    (
        name,
        re.compile(
            rf"\b(?:no|without|free of|allergic to|cant have|avoid|zero)\s+(?:any\s+)?(?:{p})\b"
            rf"|\b(?:{p})\s+free\b|\b(?:{p})\s+allerg"
        ),
    )
    for name, p in _ALLERGENS
)


def phone_in(text: str) -> str | None:
    """A phone number as written (7 to 15 digits with the usual separators), if the text has one."""
    for match in _PHONE.finditer(text):
        raw = match.group(1).strip(" -.")
        if raw.startswith("(") and ")" not in raw:
            raw = raw[1:]
        digits = re.sub(r"\D", "", raw)
        if 10 <= len(digits) <= 15 or (len(digits) == 7 and "-" in raw):
            return raw
    return None


def code_in(text: str) -> str | None:
    """A six-digit one-time code (also "123 456", "123-456"), if the text has one."""
    digits = re.sub(r"\D", "", text)
    if len(digits) != 6:
        return None
    match = _CODE.search(text)
    return match.group(1) + match.group(2) if match else None


def order_number_in(text: str) -> str | None:
    """An order number such as "A7K3" or "#1042", if the text names one."""
    match = _ORDER_NO.search(text) or _ORDER_NO_HASH.search(text)
    if match is None:
        return None
    value = match.group(1)
    return value.upper() if any(c.isdigit() for c in value) else None


def max_price_in(text: str) -> Decimal | None:
    """A price ceiling ("under $12", "10 bucks or less"), if the text sets one."""
    match = _PRICE.search(text)
    if match is None:
        return None
    value = next(g for g in match.groups() if g)
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def address_in(text: str, *, bare: bool = False) -> str | None:
    """A delivery address after "deliver to", "my address is" and the like; with `bare`, also a
    message that is only an address."""
    lowered = text.lower()
    said = not text.isascii() or any(word in lowered for word in _ADDRESS_WORDS)
    match = _ADDRESS.search(text) if said else None
    if match is None:
        alone = text.strip(" .!?")
        return alone if bare and _BARE_ADDRESS.match(alone) else None
    address = re.split(r"\s+(?:please|thanks|thank you|asap)\b", match.group(1), flags=re.I)[0]
    address = address.strip(" .,!?")
    return address if address and _STREET_HINT.search(address.lower()) else None


def tags_in(norm: str) -> tuple[str, ...]:
    """Dietary tags a message asks for."""
    if "hot" in norm:
        norm = WARM_DISH.sub("", norm)  # ("do you serve hot cocoa?": no spice asked for)
    return tuple(tag for tag, rx in _TAG_RES if rx.search(norm))


def allergens_in(norm: str) -> tuple[str, ...]:
    """Allergens a message wants left out ("nut free", "no dairy")."""
    return tuple(name for name, rx in _ALLERGEN_RES if rx.search(norm))


def order_type_in(norm: str) -> OrderType | None:
    """Pickup, delivery or dine-in, when the message says which."""
    if re.search(
        r"\b(pick ?(it |them |this |that )?up|pickup|carry ?out|take ?out|to go|collect)\b", norm
    ):
        return OrderType.PICKUP
    if re.search(r"\b(deliver\w*|bring it|send it to|ship it|drop (it )?off)\b", norm):
        return OrderType.DELIVERY
    if re.search(r"\b(dine ?in|eat (it )?(here|in)|for here|at the table|table \d+)\b", norm):
        return OrderType.DINE_IN
    return None


# --- intents ---------------------------------------------------------------------------------

_FILL = (
    r"(?:\s*,?\s*(?:please|pls|plz|thanks|thank you|thx|ty|cheers|ok|okay|then|now|just|so|um|uh|"
    r"oh|well|hey|hi|great|perfect|cool|awesome|lol))*"
)


def _whole(pattern: str) -> re.Pattern[str]:
    """A pattern that must be the whole message, give or take politeness and punctuation; it may
    be said up to three times over ("yeah sure", "yes, that's right")."""
    return re.compile(rf"^{_FILL}\s*(?:{pattern})(?:[\s,]+(?:{pattern})){{0,2}}{_FILL}\s*$")


_SOCIAL: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        Intent.GREET,
        _whole(
            r"(?:hi|hello|hey|hiya|howdy|heya|hey there|hi there|hello there|yo|sup|"
            r"whats up|good (?:morning|afternoon|evening|day)|greetings|morning|evening)"
            r"(?: there| guys| folks| all| everyone| friend)?"
            r"(?:\s*,?\s*(?:how are you|how are you doing|hows it going))?"
        ),
    ),
    (
        Intent.THANKS,
        _whole(
            r"(?:thanks?|thank you|thx|ty|tyvm|cheers|much appreciated|appreciate it|many thanks|"
            r"thanks a lot|thanks so much|thank you so much|thank you very much|awesome thanks|"
            r"great thanks|perfect thanks|cool thanks|ok thanks|okay thanks)"
            r"(?: a lot| so much| again| very much| guys| man)?"
        ),
    ),
    (
        Intent.GOODBYE,
        _whole(
            r"(?:thanks?,? )?(?:bye|goodbye|good bye|bye bye|see (?:you|ya)(?: later| soon)?|later|"
            r"cya|take care|have a (?:good|nice|great) (?:one|day|night|evening)|good night|ciao|"
            r"farewell|talk (?:to you )?later|im out|gotta go)(?:\s+(?:now|for now|then))?"
        ),
    ),
    (
        Intent.AFFIRM,
        _whole(
            r"(?:yes|yeah|yea|yep|yup|ya|sure|ok|okay|k|kk|correct|right|thats right|exactly|"
            r"sounds good|sounds great|perfect|great|please do|go ahead|do it|absolutely|"
            r"definitely|"
            r"of course|confirm(?:ed)?|alright|all right|that works|works for me|yes please|"
            r"yes it is|yes thats right|yes thats correct|thats correct|affirmative|indeed|"
            r"thats all|thats it|that is all|that is it|thatll be all|that will be all|"
            r"nothing else|"
            r"no(?:pe)?,? thats (?:all|it)|no(?:pe)?,? nothing else|im good|im done|all good|"
            r"that should do it|(?:thats|that is) everything|i think thats it|i think thats all|"
            r"looks good|"
            r"looks right|yes,? thats all|yes,? thats it|sure thing|why not|fine|good|cool|"
            r"yes,? please|yes,? sure|yes,? correct)"
        ),
    ),
    (
        Intent.DENY,
        _whole(
            r"(?:no|nope|nah|no thanks|no thank you|not really|not now|negative|wrong|thats wrong|"
            r"incorrect|thats not right|no way|not that|no,? thats wrong|no,? not that|dont|"
            r"i dont think so|no no|nope,? thats wrong|not quite|no its not|no it isnt)"
        ),
    ),
    (
        Intent.HELP,
        _whole(
            r"(?:help|help me|i need help|can you help(?: me)?|how does (?:this|it) work|"
            r"what can you do|how do i (?:order|use this|do this|pay|check out)|"
            r"what do i do|instructions|im confused|i dont understand|what are my options|"
            r"how (?:do|does) (?:ordering|this) work|talk to (?:a )?(?:human|person|agent)|"
            r"(?:a )?(?:human|agent|operator|real person)|support|what is this|who are you|"
            r"what can i (?:do|say|ask)|how can you help(?: me)?)\??"
        ),
    ),
)

_RESEND = re.compile(
    r"\b(?:re ?send|send (?:it|the code|me the code|me a code|another(?: code)?|a new code|me a "
    r"new code|code|me another(?: code)?|the text|it again)(?: again)?|didnt (?:get|receive|see)"
    r"(?: the| a| my| any)? (?:code|text|sms|message)|(?:new|another|different) code|code "
    r"(?:didnt|never|hasnt|did not) (?:come|arrive|show|work)|no code|never got (?:the|a|my) "
    r"(?:code|text)|code (?:expired|isnt working|doesnt work)|get (?:a|another|the) code again)"
)
_STATUS = re.compile(
    r"\b(?:where(?:s| is| are)? (?:my|the|our) (?:order|food|pizza|delivery|stuff|meal|coffee|"
    r"burgers?|burritos?|subs?)|order status|status (?:of|on) (?:my|the|our)? ?order|"
    r"status of|track(?:ing)? (?:my|the|our)? ?order|how long (?:until|till|will|is|for)|when "
    r"(?:will|is|does|do|can)(?: my| the| our)? (?:order|food|it|delivery|pizza)(?: be| get| "
    r"arrive| come| ready)|is (?:my|the|our) (?:order|food) (?:ready|on (?:its|the) way|done|"
    r"coming)|eta|whats taking so long|still waiting|any update|update on my order|check (?:on|"
    r"the status of) (?:my|the|our) order|has my order|did my order)\b"
)
_CANCEL_ORDER = re.compile(
    # (not "cancel his order": one person's lines)
    r"\b(?:cancel(?:l?ed|l?ing)?|call off|abort|revoke|withdraw)\b"
    r"(?:\s+(?!(?:his|her|hers|their)\b)\w+){0,3}\s+(?:order|purchase|delivery)\b"
    r"|\bcancel (?:it|that) (?:order )?(?:please )?(?:i placed|i made|already)"
    r"|\b(?:dont|do not|no longer) want (?:my|the|this|that) order\b"
    r"|^(?:please )?cancel(?: it| that| please| everything| it all| the whole thing)?$"
)
_CLEAR = re.compile(
    r"\b(?:start (?:over|again|fresh|from scratch)|clear (?:my|the|our|out|all|everything|it)|"
    r"clear(?:ing)? (?:the )?(?:cart|basket|order)|empty (?:my|the|our)? ?(?:cart|basket|order)|"
    r"(?:remove|delete|drop|cancel|scratch|forget|dump|take off|take out) (?:everything|it all|all"
    r" (?:of )?(?:it|that|this|the items|items)|all that|the whole (?:order|thing|cart)|the entire|"
    r"whole order)|reset(?: (?:my|the) (?:cart|order))?|begin again|redo (?:my|the) order|"
    r"wipe (?:it|the cart|my cart|everything)|new order from scratch|scrap (?:it|that|everything|"
    r"the order|my order))\b"
)
_VIEW = re.compile(
    r"\b(?:(?:what(?:s| is| are)?|whats) (?:in|on) (?:my|the|our) (?:cart|basket|order|bag)|"
    r"(?:show|see|view|check|review|read|repeat|list|display|recap|confirm)(?: me)?(?: back)? "
    r"(?:my|the|our|what i have in my) (?:cart|basket|order|items|total)|what (?:did|have) (?:i|we)"
    r" (?:order|ordered|got|get|added)|what do (?:i|we) have(?: so far)?|whats my (?:total|order|"
    r"cart|bill)|(?:my|the) (?:cart|basket)|whats the total|how much (?:is|does) (?:my|the) "
    r"(?:total|order|cart|bill)|(?:order|cart) so far|what have i got|what ive got|"
    r"where am i at|what (?:i have|ive ordered) so far|read (?:it|that) back|"
    r"how much (?:is|are|does|do|will|would) (?:(?:it|that|this|everything|all (?:of )?(?:it|that|"
    r"this)|they|those|these) )?(?:all |all together |altogether )?"
    r"(?:be(?! (?:to|for|with|if|on)\b)|come to|come out to|"
    r"add up to|cost all together|total|in total|all together|altogether)|"
    r"how much (?:do|will|would) (?:i|we) owe|what (?:do|will|would) (?:i|we) owe|"
    r"whats the damage|(?:what|how much) (?:does|do|will|would) (?:it|that|this|everything|they) "
    r"(?:all )?come to|how much (?:is|for) (?:it )?all (?:of )?(?:it|that|this)|"
    r"how much (?:is|for) (?:everything|it all|all of it|all that|the whole thing|all this|all)|"
    r"what (?:that|it|this|everything|they) (?:all )?(?:comes?|adds?) (?:to|up to)|"
    r"^(?:the |my |whats the |whats my )?total(?: (?:please|pls|plz|so far|now))?$|"
    # "what is the total", "whats our bill", "what's the grand total"
    r"what(?:s| is| s| will be| would be)(?: the| my| our)(?: order)?(?: grand| final| full)? "
    r"(?:total|bill|tab)(?! (?:of|for) )|"
    # "whats it come to", "what does everything add up to"
    r"what(?:s| does| do| will| would)? (?:it|that|this|everything|they|those|it all|all that|all "
    r"this|the total|my order|our order|the order)(?: all)? (?:come|comes|add|adds) "
    r"(?:out |up )?to|"
    # "how much altogether", "how much in total", "whats the price all together"
    r"^(?:(?:so|ok|okay|and|alright|right)[ ,]+)*(?:how much|whats(?! up\b)|what is|what s)"
    r"(?: (?:is|are|does|do|will|would|s))?(?: (?:it|that|this|everything|they|those|these|the "
    r"price|the cost|the damage|my order|our order|the order))?(?: (?:be|cost|come to))? "
    r"(?:all together|altogether|in total|in all|all told|all in|total)(?: (?:please|pls|plz|"
    r"then|now|so far))?$|"
    # "what do i owe", "how much do we need to pay", "what should i pay"
    r"(?:what|how much) (?:do|will|would|should|shall|must) (?:i|we) (?:need to |have to |got to )?"
    r"(?:pay|owe)(?: you| u)?(?: (?:please|then|now|in total|altogether|all together))?$)\b"
)
_CHECKOUT = re.compile(
    r"\b(?:check ?out|checking out|place (?:my|the|our|this) order|pay(?: now)?|ready to (?:pay|"
    r"check ?out|order now|go)|complete (?:my|the) (?:order|purchase)|finish (?:my|the) order|"
    r"submit(?: my| the)? order|finali[sz]e|confirm (?:my|the) order|(?:thats|that is|that will be|"
    r"thatll be) (?:all|it|everything)(?: for (?:me|now|today))?,? (?:lets|let us|please|i want to|"
    r"ill|we can) (?:pay|check ?out|order|finish)|proceed to (?:payment|checkout)|"
    r"send (?:it|the order) (?:in|through)|put (?:the|my) order (?:in|through)|for pick ?up|"
    r"ill pick (?:it|them) up|i will pick (?:it|them) up|pick (?:it|them) up|pickup|"
    r"deliver (?:it|them|this)|for delivery|delivery please|deliver to|dine in|eat (?:it )?here|"
    r"(?:get|have) (?:it|them|this|the order) delivered|delivery|"
    r"for here|to go|carry ?out|take ?out|im ready|we are ready|were ready|done ordering|"
    r"thats all i want|thats all for (?:me|now|today)|that will be all|nothing else,? (?:thanks|"
    r"please)? ?(?:check|pay))\b"
)
_REMOVE = re.compile(
    r"\b(?:remove|delete|drop|take (?:off|out|away)|get rid of|cancel|scratch|scrap|lose|nix|"
    r"ditch|forget|minus|no more|never ?mind|skip (?:the|my|our|his|her|their|that|those)|"
    r"(?:dont|do not) (?:want|need) (?:the|that)|"
    r"(?:i|we) dont (?:want|need) (?:the|that|"
    r"those|any)|without the|leave out|cut|erase|subtract|take .* off|take .* out)\b"
)
# "could you remove the onions?", "would you please leave off the pickles?": asked to be done
_ASKED_TO_DO = re.compile(
    r"^(?:(?:and|also|oh|ok|okay|so|please|hi|hello),? )*(?:can|could|would|will) you "
    r"(?:please |kindly |also |just )?(?:remove|hold|leave|take|skip|drop|add|put|make|change|"
    r"switch|swap|get rid|throw|toss|do)\b"
)
_REMOVE_PRONOUN = re.compile(
    r"\b(?:remove|delete|drop|cancel|scratch|scrap|forget|nix|ditch|lose|skip|get rid of) "
    r"(?:it|that|this|those|them|"
    r"the last (?:one|thing|item)|that last (?:one|thing|item)|the last)\b"
    r"|\btake (?:it|that|this|those|them) (?:off|out|away)\b"
)
# "the tuna was for my wife and she's not hungry, take it off": the dish named, then taken off
_NAMED_THEN_OFF = re.compile(
    r"\b(?:the|that|those) \w.*[,.;] (?:(?:so|and|just|please|pls|then) )*"
    r"(?:take (?:it|that|them|(?:that|this) one|those ones) (?:off|out)|"
    r"(?:remove|drop|cancel|scratch|ditch|nix|get rid of) (?:it|that|them|(?:that|this) one|"
    r"those ones))"
    r"(?: (?:please|pls|thanks|thank you))?[.!]*$"
)
# "actually", "wait": a correction only when no new order follows ("actually, can i get a coke"
# is an order).
_CHANGE_OPENER = re.compile(
    r"^(?:actually|wait|sorry|oops|correction|hmm|no,? (?:wait|actually)|i meant|i mean|"
    r"instead|change of plans?)\b"
)
_CHANGE = re.compile(
    # "ok maybe two" after "a cappuccino with three extra shots": a count put right
    r"^(?:(?:ok|okay|hmm+|um+|uh+|so),? )*maybe (?:just |only )?(?:one|two|three|four|five|six|"
    r"\d+)(?: lol| haha)?$|"
    r"^(?:no,? make|i meant)\b|"
    # "not the lays, doritos": what was meant after the break
    r"^not (?!(?:sure|yet|really|hungry|much|so|too|quite|exactly|bad|now)\b)"
    r"(?:[\w']+ ){0,3}[\w']+ ?[,.;] ?(?!(?:not|but)\b)\w|"
    r"\b(?:make (?:that|it|them|those|this|the|my|his|her|hers|mine|their|theirs|our|both|all|"
    r"one)|"
    r"change|switch|swap|instead of|rather than|substitute|replace|upgrade|downgrade|turn (?:that|"
    r"it|the)|can (?:i|we) (?:get|have|make) (?:that|it|them|those) |i meant|update (?:the|my|"
    r"that)|modify|edit|correct (?:the|my|that)|fix (?:the|my|that)|should (?:be|have been)|"
    r"must be|needs to be|has to be|make (?:\d+|two|three|four|five) |move|shift)\b|"
    r"^(?:\w+ )?make (?!(?:a|an|me|us|sure|some|one|two|three|four|five|\d+)\b)\w+ \w+$"
)
# "no onions on the burger", "extra cheese on my pizza": options for an item already ordered.
_CHANGE_ON = re.compile(
    r"^(?:please |can you |could you |and )?(?:no|without|hold|extra|add|"
    r"put(?! (?:an|in|in an|my|the|me) )|light|go light|easy|"
    r"go easy|more|less|double|leave|skip)\b.*\b(?:on|from|off|for|to|in) (?:the|my|that|those|"
    r"both|all the|all|each|her|his|their|our|your) (?:\w+ ){0,2}"
    r"(?!order$|cart$|basket$|side$|top$)\w+$"
)
_AGAIN = re.compile(
    r"^(?:and |n |actually |oh |ok |okay |also |then )*(?:another(?: one)?|one more|(?:the )?same "
    r"(?:again|thing)|again|same again|(?:one|two|\d+) more(?: of (?:those|them|that|it))?|"
    r"double (?:it|that|them|those|the|my|this|these|everything))\b"
    r"(?! (?:thing|question|time)\b)"  # "one more thing, ..."
)
_REFER = re.compile(
    r"\b(?:that|it|them|those|this|these|the last|the first|the second|both|all of them|"
    r"each|one of them|the same)\b"
)
_ASK = re.compile(
    r"\b(?:how much\b|hm+ for|how much$|whats the (?:price|cost)|"
    r"what(?:s| is| will| would)? (?:that|it|this|those|they|these) (?:gonna |going to )?"
    r"(?:cost|run)|(?:is|are|does|do|would|will) (?:it|that|this|they|those) (?:cost )?"
    r"(?:more|extra|cheaper|more expensive|less)\b|(?:which|what)(?:s| is)? (?:one )?"
    r"(?:is )?(?:cheaper|cheapest|more expensive)|\bis (?:the )?\w+(?: \w+)? extra\b|"
    r"\bcost extra\b|\bextra charge\b|"
    r"what(?:s| is| are) the (?:price|cost|ingredients|calories|allergens|sizes?)|"
    r"(?:price|cost|prices|costs) (?:of|for|on)|what (?:does|do) (?:a|an|the|your) .{0,40} "
    r"cost|what(?:s| is| are)? (?:in|on) (?:a|an|the|your)|what comes (?:on|in|with)|"
    r"ingredients|allergens?|allergy|calories|nutrition|does (?:a|an|the|it|your|that) .{0,40}"
    r"(?:have|contain|come with|include)|do (?:the|your|they) .{0,40}(?:have|contain|come with)|"
    r"(?:is|are) (?:a|an|the|your|it|they|that) .{0,40}(?:spicy|vegan|vegetarian|gluten|halal|"
    r"dairy|good|big|hot|healthy|fresh|made)|tell me (?:about|more about)|describe|"
    r"what(?:s| is) (?:a|an|the) \w+|how big|(?:what|which) sizes?|"
    r"how many (?:slices|inches|ounces|oz)|"
    r"how many \w+ (?:come|comes|go|are) (?:in|on|with)\b|"
    r"how (?:spicy|hot|sweet|strong|mild|filling|healthy|heavy|salty|greasy|good) (?:is|are)\b|"
    r"(?:contains?|made with) (?:nuts|dairy|gluten|egg|meat)|any (?:nuts|dairy|gluten) in)"
)
# A dish named, then the question in a word or two after it: "apple slices price?", "french
# roast available?", "fish tacos?? or no", "izze what flavor is that", "black tea - sweet or
# unsweet?". Nothing is ordered yet: the customer asks first.
_ASKED_AFTER = re.compile(
    r"\b(?:price|prices|cost|costs|how much|available|in stock|on the menu)"
    r"(?: (?:here|today|now))?$|"
    r"\bor (?:no|not|nah)$|"
    r"\b(?:what|which) (?:flavou?rs?|kinds?|types?|sizes?) (?:is|are|does|do|comes?) "
    r"(?:that|it|this|they|those|these|them)\b"
)
# "black tea - sweet or unsweet?", "the fries, curly or straight?": which of two, asked
_WHICH_OF_TWO = re.compile(r"[,:\-\u2013\u2014] *(?:\w+ )?\w+ or \w+(?: \w+)? *\?+$")
# a statement asked as a question: "the vegan pizza, it has cheese?", "they come with fries?"
_HAS_IT = re.compile(
    r"(?<!can )(?<!could )(?<!would )(?<!will )"
    r"\b(?:it|they|this|that|those) (?:has|have|got|contains?|comes? with|includes?)\b"
)
_BROWSE = re.compile(
    r"\b(?:menu|(?:the |your )?(?:cheapest|least expensive|most expensive|priciest) (?!one\b)\w+|"
    r"what do you (?:have|sell|offer|serve|got|make|recommend)|(?:what|which) (?:kinds?|types?|"
    r"sorts?|flavou?rs?|sizes?|toppings|drinks|sides|options|choices) (?:of|do|are|can|have)|"
    r"whats (?:good|popular|vegetarian|vegan|spicy|available|on offer|new|cheap|there)|"
    r"what(?:s| is| are) (?:vegetarian|vegan|spicy|gluten free|halal|popular|cheap|available)|"
    r"^(?:and |so |ok )*what(?:s| is| are) (?!in\b|on\b|the\b|a\b|an\b|my\b|your\b)\w+"
    r"(?: \w+)?$|"
    # ("put some hot peppers on it", "add some sweet potato fries": an order, not browsing)
    r"(?:any|anything|something|(?<!put )(?<!add )(?<!throw )(?<!toss )some) "
    r"(?:vegetarian|vegan|spicy|gluten|halal|cheap|popular|"
    r"under|for under|healthy|light|new|good|sweet|cold|hot|without|with no|dairy|nut|meatless|"
    r"else|to drink|to eat|low|lower|less|non|lite|skinny)|(?:what|how) about (?:something|"
    r"anything)|options|choices|do (?:you|u)(?: guys| all)? (?:have|sell|offer|serve|carry|do|"
    r"make)|"
    r"is there (?:a|an|any)|are there any|(?:anything|something) with\b(?! no\b)|"
    # "which subs have chicken", "what pizzas have no meat": the dishes of a kind with something
    r"^(?:(?:and|so|ok|okay|hey|hi|um)[ ,]+)*(?:which|what) (?:\w+ )?\w+s (?:have|contain|got)\b|"
    # "u have iced tea?", "you guys got minute maid?": asked without its "do"
    r"^(?:(?:and|so|ok|okay|hey|hi|um)[ ,]+)*(?:you|u|yall)(?: guys| all)? "
    r"(?:have|got|carry|sell)\b|"
    r"got any|you guys have|recommend|suggest|whats available|what else|show me|list (?:of|the|"
    r"your|all)|selection|specials|specialt(?:y|ies)|(?:todays|daily|the) special|deals?|"
    r"under \$?\d|"
    r"less than \$?\d|cheaper than|"
    r"what can i (?:get|order|have|eat)|what are (?:the|your)|whats (?:on|in) the menu|"
    r"what drinks|what sides|which (?:ones?|items|pizzas|burgers|drinks)|"
    # "what sauces are there", "which crusts are available", "which sauces can i get"
    r"^(?:(?:and|so|ok|okay|hey|um)[ ,]+)*(?:what|which) \w+ (?:are there|are available|can "
    r"(?:i|we) (?:get|choose|pick|have|add))$|"
    # "what sodas", "which desserts", "any snacks?": a course asked for by its word
    r"^(?:(?:and|so|ok|okay|hey|um)[ ,]+)*(?:what|which|any|got any)(?: (?:kinds?|types?|sorts?) "
    r"of)?(?: \w+)? (?:drinks|sides|desserts|sodas|pops|beverages|snacks|starters|appetizers|"
    r"entrees|sweets|treats)$|"
    r"(?:which|what) (?:ones?|kinds?|types?|sorts?|flavou?rs?)$|^(?:\w+ )?flavou?rs$|"
    # "any chicken toppings?", "got any veggie fillings": the options of a kind asked for
    r"^(?:(?:and|so|ok|okay|hey|um)[ ,]+)*(?:any|got any|do you have any|you have any) "
    r"(?:\w+ ){0,2}(?:toppings|fillings|sauces|options|flavou?rs|extras|add ?ons|dressings|meats|"
    r"veggies|cheeses|proteins|syrups|milks|sides|drinks)$|"
    # "whats your hottest salsa", "which sauce is the mildest": the one of a kind asked for
    r"^(?:(?:and|so|ok|okay|hey|hi|um)[ ,]+)*(?:whats?|which)\b.*\b(?:hottest|spiciest|mildest|"
    r"hotter|spicier|milder)\b)\b"
)
# "chips? which kinds", "olives - black or green or what kinds": the question after the dish
WHICH_KINDS = re.compile(r"\b(?:which|what) (?:ones?|kinds?|types?|sorts?|flavou?rs?)$")
_SHOW = re.compile(
    r"^(?:(?:so|and|ok|okay|hey|hi|please|pls|first|now)\s)*(?:(?:can|could|would|will) (?:you|u) "
    r"(?:please )?)?(?:show|list)\b|^(?:(?:so|and|ok|okay) )*(?:can|could|may) (?:i|we) (?:see|"
    r"look at|have a look at)\b"
)
_ORDER_VERB = re.compile(
    r"\b(?:i(?:d| would)? (?:like|want|need|love|take|have|get|prefer|wish|feel like)|"
    r"(?:can|could|may) (?:i|we|you) (?:get|have|order|grab|do)|give me|gimme|lemme|let me (?:get|"
    r"have)|get me|ill (?:have|take|get|do|go with|try)|we(?:ll| will)? (?:have|take|get)|"
    r"order|add|want|wanna|grab|bring me|put in|throw in|going to (?:have|get)|gonna (?:have|get)|"
    r"i(?:ll| will) go (?:with|for))\b"
)


# Questions about the restaurant itself: hours, delivery area, how long an order takes, where it
# is. Asked as questions, so "deliver to 12 Main St" stays a checkout answer.
_RESTAURANT = re.compile(
    r"\b(?:(?:are|r) (?:you|u|yall|you guys) (?:still )?(?:open|closed|opened)|"
    r"(?:is|are) (?:the )?(?:store|restaurant|shop|place|kitchen) (?:open|closed)|"
    r"(?:when|what time|wat time|till when|until when|how late) (?:do|does|are|r|will|is) "
    r"(?:you|u|yall|you guys|the (?:store|restaurant|shop|place|kitchen)) ?(?:open|close|closing|"
    r"opening|shut|stay open|stop|take orders)?|"
    r"(?:opening |business |store )?hours|open (?:today|now|tonight|tomorrow|late|on \w+day|"
    r"on (?:the )?weekends?|on sundays?)|still open|closing time|what time (?:do|does|is) .{0,20}"
    r"(?:open|close)|"
    r"(?:do|does|can|could|will|would) (?:you|u|yall|you guys|they|it|the restaurant) "
    r"(?:even )?(?:deliver|do delivery|do deliveries|delivery|ship|bring)"
    r"(?! (?:it|them|this|that|my|our|the order|the food))|"
    r"(?:is|are) there (?:a )?(?:delivery|deliveries|minimum)|"
    r"delivery (?:area|zone|radius|range|fee|charge|cost|minimum|min|time|times)|"
    r"minimum (?:order|for delivery)|"
    r"how (?:much|far) (?:is|do you|does) (?:the )?deliver\w*|"
    r"how long (?:does|do|will|would|is|for|till|until|to)\b(?! (?:it|my|the|our|your) "
    r"(?:order|food|take|be|get))|"
    r"how long (?:is )?the wait|wait time|prep(?:aration)? time|how (?:soon|fast|quick)|"
    r"where (?:are|r) (?:you|u)(?: located| guys)?|where is (?:the )?(?:store|restaurant|shop)|"
    r"whats (?:the|your) (?:address|location|phone|number)|your (?:address|location|phone number)|"
    r"(?:phone|telephone) number (?:for|of) (?:the )?(?:store|restaurant|you)|call (?:you|the "
    r"restaurant|the store))\b"
)
_WAIT = re.compile(
    r"^(?:hmm+ |um+ |uh+ |ok |okay |so |well )*(?:(?:let me|lemme|let us|lets) (?:think|see|"
    r"check|decide|look)(?: about it| for a (?:sec|second|minute|bit))?|(?:one|a|just a) "
    r"(?:sec|second|moment|min|minute)|hold on|hang on|give me a (?:sec|second|minute|moment)|"
    r"(?:im )?(?:still )?(?:thinking|deciding|looking)|not sure yet|(?:i )?dont know yet|"
    r"wait a (?:sec|second|minute)|brb)(?: please| pls)?$"
)


_WORD = re.compile(r"[a-z0-9]+")

# An ordering verb ("i'd like", "can i get", "add"), for the reader too.
ORDER_VERB = _ORDER_VERB


@dataclass(frozen=True, slots=True)
class IntentGuess:
    """An intent with its confidence and the details found with it."""

    intent: Intent
    confidence: float
    details: dict[str, object] = field(default_factory=dict)


def social_intent(norm: str) -> Intent | None:
    """The intent of a message that is only a greeting, thanks, yes/no, goodbye or a help call."""
    for intent, rx in _SOCIAL:
        if rx.match(norm):
            return intent
    return None


@dataclass(frozen=True, slots=True)
class Features:
    """What the rules test: the message, and what the order grammar found in it.

    `has_items`: the grammar read order lines; `named_items`: one of them names its item (not
    inferred from options alone); `has_options`/`has_quantity`: options or a number were said
    without an item ("make that large", "actually 3"); `bare_options`: only options, with no
    item and no count ("no onions", "decaf please"), which in a conversation change the last line.
    """

    text: str  # normalized, punctuation folded
    raw: str  # as typed
    has_items: bool
    named_items: bool
    has_options: bool
    has_quantity: bool
    unknown_words: int
    content_words: int
    bare_options: bool
    words: tuple[str, ...] = ()
    code: str | None = None
    phone: str | None = None
    number: str | None = None  # an order number

    @property
    def question(self) -> bool:
        """Whether the message asks something ("is it spicy?", "what sizes")."""
        return (
            self.raw.rstrip().endswith("?")
            or bool(_QUESTION_START.match(self.text))
            or bool(WHICH_KINDS.search(self.text))
            or _asked_if(self.text)
        )

    @property
    def ordering(self) -> bool:
        """Whether an ordering verb is said ("i'd like", "can i get", "add"), not only in asking
        whether more can go on ("is the quesadilla just cheese or can i add stuff to it")."""
        text = _CAN_ADD_ANY.sub(" ", self.text) if "add" in self.words else self.text
        return bool(_ORDER_VERB.search(text))

    @property
    def asking(self) -> bool:
        """A question about dishes, not an order that happens to use a question's words."""
        if self.raw.rstrip().endswith("?") and _HAS_IT.search(self.text):
            return True  # "the vegan pizza, it has cheese?"
        if _asked_if(self.text):
            return True  # "he's asking if the fries are spicy": a question, in his words
        if not self.ordering and not _COUNT_SAID.search(self.text):
            if _ASKED_AFTER.search(self.text):
                return True  # "apple slices price?", "fish tacos?? or no"
            if " or " in self.text and self.raw.rstrip().endswith("?"):
                return bool(
                    _WHICH_OF_TWO.search(self.raw.lower().rstrip())
                )  # "tea - sweet or not?"
        return bool(_ASK.search(self.text)) and (
            bool(_WONDERING.search(self.text))
            or not self.ordering
            or bool(_WH_QUESTION.match(self.text))
        )

    @property
    def changing(self) -> bool:
        """Words of a correction: "actually", "make that", "switch", "no onions on the ..."."""
        opener = bool(_CHANGE_OPENER.search(self.text)) and not self.ordering
        # "get me a large pizza with ham, and make it thin crust" is one order, not a correction,
        # and so is "a burger with blue cheese instead of cheddar".
        ordering = self.has_items and bool(_ORDER_VERB.search(" ".join(self.words[:4])))
        if self.named_items and _ORDER_INSTEAD.match(self.text):
            return False
        on = _CHANGE_ON.search(self.text)
        if on and self.named_items and _A_DISH_FOR.search(self.text) and is_person(self.words[-1]):
            on = None  # "and add a small pizza with pineapple for his girlfriend": a new dish
        return bool((not ordering and (opener or _CHANGE.search(self.text))) or on)


_A_DISH_FOR = re.compile(
    r"^(?:please |and )?add (?:a|an|one|two|three|four|\d+) .*\bfor (?:the|my|his|her|our) \w+$"
)
_ORDER_INSTEAD = re.compile(
    r"^(?:a|an|one|two|three|four|five|\d+)\b.*\bwith\b.*\b(?:instead of|rather than)\b"
)
_DIET = re.compile(r"\b(?:vegetarian|vegan|gluten|spicy|halal|kosher|dairy|nut|meatless)\b")
# Words before a question that do not make it anything else: "hey is the carnitas pork?"
_LEAD = r"^(?:(?:hey|hi|hello|ok|okay|so|and|oh|um|uh|well|also|btw|quick question),? )*"
# "do 2 cold cut combos instead", "ok do that with feta": an order, not a "do ...?" question
# ("ok do the chicken sandwich instead": a swap)
_DO_COUNT = (
    r"do(?! (?:a|an|one|two|three|four|five|six|\d+|that|this|it|those|me)\b)"
    r"(?! (?:the|my) [a-z ]+ instead\b)"
)
_QUESTION_START = re.compile(
    _LEAD + rf"(?:is|are|does|{_DO_COUNT}|what|whats(?! up\b)|which|how|why|who|where|when)\b"
)
# "im vegetarian, which of the subs can i have?": the question after a clause of its own
_WH_ANYWHERE = re.compile(r"(?:^(?:so |and |ok |hey |hi )*|, )(?:what|whats(?! up\b)|which)\b")
# "can i add stuff to it", "do i have to add it": whether more can go on, nothing named
_CAN_ADD_ANY = re.compile(
    r"\b(?:can|could|do|may) (?:i|we|you) (?:(?:have to|need to|still|also) )?add (?:stuff|things|"
    r"anything|something|extras?|other (?:stuff|things)|more stuff|it|them|that)\b"
    r"(?! (?:please|pls|for me|then|too|as well|now)\b)"
)
_WH_QUESTION = re.compile(r"^(?:so |and |ok |hey |hi )*(?:what|whats(?! up\b)|which|how)\b")
# "hes asking if the curly fries are spicy", "my wife wants to know whether the soup is vegan": a
# question put in someone's words, no order
_ASKED_IF = re.compile(
    r"\b(?:ask(?:s|ed|ing)?|wants? to know|wondering|wonders|(?:doesnt|dont) know) (?:if|whether)\b"
)


def _asked_if(text: str) -> bool:
    """Whether a question is put in someone's words (the words checked first: it runs on every
    message)."""
    return ("if" in text or "whether" in text) and _ASKED_IF.search(text) is not None


_WONDERING = re.compile(r"\b(?:like|want|need) to know\b|\bwondering\b")
_PRONOUN = re.compile(r"\b(?:it|that|this|them|those|they)\b|\bthe (?:\w+ )?ones?\b")
_POINTING = re.compile(r"\b(?:that|it|them|those|one)\b")
_MAKE_THAT = re.compile(
    r"\b(?:make|change|turn) (?:that|it|them|those|this|the|my|his|her|hers|mine|their|our)\b"
)
_MORE_WORDS = re.compile(r"\b(?:also|another|more|plus|as well|too)\b")
_REMOVE_START = re.compile(
    # a remark of its own may come first: "you know what, forget the pepsis", "too many, take
    # off 2"
    r"^(?:(?:hmm+|um+|uh+|oh|ok|okay|so|well|and),? )*"
    r"(?:(?:you know what|(?:way |thats |that is |its )?too (?:many|much)|change of plans?|"
    r"my bad|oh well|oh no|on second thought)[,.!]? )?"
    r"(?:(?:please|and|oh|ok|okay|actually|on second thought|nah|no|ugh|hmm+|um+|uh+|wait|"
    r"sorry|oops|so|well|then|yeah)(?:,? ))*(?:remove|delete|drop|take|"
    r"get rid|cancel|scratch|scrap|lose|nix|ditch|skip|forget|minus|no more|never ?mind|"
    r"i dont want|dont want|do not want|(?:i |we )?(?:dont|do not) need (?:the|that|those|any)|"
    r"cut|erase|"
    r"subtract|(?:i|we) no longer (?:want|need)|"
    r"(?:can|could) you (?:please )?(?:remove|take|delete|drop|cancel)|"
    r"please (?:remove|take|delete|drop)|could you (?:remove|"
    r"take|delete|drop|cancel)|(?:actually |oh |wait |hmm |um |sorry |no )+(?:remove|"
    r"take|delete|drop|cancel|scratch|forget|no more|i dont want|lose|nix))"
)
# "add mustard", "put bacon on it": options with no item, for a line already ordered
_ADD_OPTION = re.compile(
    r"^(?:and |also |oh |ok |okay |please |pls |can you |could you |can i |could i )*"
    r"(?:add|put|throw|toss|include|get|have|do)\b"
)
# "salt and pepper too", "and oregano as well": more options for the line just ordered
_ALSO = re.compile(r"\b(?:too|as well|also)$|^(?:and|plus|also) ")
# "my buddy wants the exact same", "a second one of those", "another order exactly like that"
_SAME_AGAIN = re.compile(
    r"\b(?:the )?(?:exact |exactly the |very )?same(?: thing| order| again| please| too|"
    r" (?!(?:sizes?|way|time|as|toppings?|options?|stuff|extras?|sauces?|dressing|bread|crust|"
    r"milk|kind|things?)\b)[a-z]+)?"
    # ("the same for my two colleagues": one each)
    rf"(?: for (?:my |the |our )?(?:{count_pattern(6)} )?\w+)?(?: please| too)?$|"
    r"\bwants? (?:one|another|the same|exactly the same)\b|\bone for (?:my |the |our )?\w+ too\b|"
    # "my sister will have one too", "he'd like one as well"
    r"\b(?:will|ll|ill|hell|shell|would|d|id|hed|shed) (?:have|like|take|get) (?:one|another)"
    r" (?:too|as well|also)$|"
    r"\b(?:all|everything) (?:that |of that |of it )?twice\b|"
    r"\b(?:exactly|just) like (?:that|it|before)\b|"
    r"\ba (?:second|third|2nd|3rd)(?: one)?(?: of (?:those|them|that|it))?\b"
)
# "with bacon?" after a price: the dish just asked about, with the option
_WITH_WHAT = re.compile(
    r"^(?:and |so |ok |okay |what about |how about |and if )*(?:its |it )?with\b"
)
_JUST = re.compile(r"\b(?:just|only|actually|make it|make that|no|sorry|wait)\b")
_PAY = re.compile(r"\b(?:check ?out|pay|place (?:my|the|our|this) order|ready to)\b")
_ONE_HEAD = re.compile(r"\b(?:the|that|this) (?:\w+ ){0,3}(?:one|ones)\b")
# "cancel the pizza, just do a large margherita": the options are the new dish's, said after
# the line taken off
_OFF_THEN_MORE = re.compile(
    r"^[^,]*\b(?:remove|drop|cancel|scratch|scrap|forget|nix|ditch|lose|skip) (?:the|my|that) "
    r"[^,]+, (?:(?:and|but|ill|i will|i'll|just|instead|then),? )*(?:do|have|get|go with)\b"
)
_SHOULD = re.compile(
    r"\b(?:should be|should have been|must be|needs to be|has to be|have to be|instead|"
    r"make (?:it|that|them|those|this)|"
    r"make (?:the|my|his|her|their|our) (?:\w+ ){1,3}?(?:a|an|into|another))\b|"
    # "make the fries 2 as well": a line's count set, as another's was
    r"\bmake (?:the|my|his|her|their|our) (?:\w+ ){1,3}?(?:\d+|two|three|four|five|six)"
    r"(?: (?:too|as well|also))?$|"
    # "also swap the cherry coke for a cherry pepsi", "change the coke to a diet too": a swap
    r"\b(?:swap|switch|change|replace|trade) (?:the|my|his|her|their|our) (?:\w+ ){1,3}?"
    r"(?:for|to|with|into) (?:a|an|the|one)\b"
)
_COME_IN = re.compile(
    _LEAD + r"(?:do|does|are|is) (?:(?:the|your|all|any|they|those|these|all the) )?(?:\w+ ){0,3}"
    r"(?:come|comes|available|served|sold) (?:in|with|as)\b"
)
_YES_NO = re.compile(_LEAD + rf"(?:{_DO_COUNT}|does|is|are)\b")
# "which salsa is the spiciest": a question even without its question mark ("how about a coke"
# is an order)
_WH_START = re.compile(
    r"^(?:so |and |ok |okay |hey |hi |um )*(?:what|whats(?! up\b)|which|how)\b(?! about)"
)
# "how much extra to add guac", "how much is it to add bacon", "what does oat milk cost extra":
# what an option adds, asked before it is added
_ADD_PRICE = re.compile(
    r"^(?:(?:so|and|ok|okay|um|hey|wait)[ ,]+)*(?:how much (?:extra |more )?(?:(?:is|would|will|"
    r"does|do|s) (?:it|that|this|they) (?:be |cost )?)?(?:extra |more )?(?:to add|for adding|to "
    r"put|to get|to have|for|if i add|if we add)\b|what (?:does|do|would|will|is|s) .{1,40} "
    r"(?:cost|be) (?:extra|more)\b|(?:whats|what is) the (?:charge|upcharge|price|cost) "
    r"(?:for|of|to add) )"
)
_HOW_MUCH = re.compile(
    r"^(?:so |and |ok |okay |um )*(?:how much(?: extra| more)?(?: (?:is|for|does|will) (?:it|"
    r"that|this))?(?: (?:be|cost))?|what (?:does|would|will) (?:it|that|this) (?:cost|run)|"
    # "price too", "and the prices?" after dishes were asked about
    r"(?:what about |whats )?(?:the )?(?:price|prices|cost)(?: too| as well| please| pls)?)"
    r"(?: extra| more)?(?: now| so far| then)?$"
)
# "how much is mayo?", "how much extra is the guac?", "what do jalapenos cost?": the price of
# options said alone
_OPTION_PRICE = re.compile(
    r"^(?:(?:so|and|ok|okay|um|hey|wait|then)[ ,]+)*"
    r"(?:how much (?:extra |more )?(?:is|are|for|do|does)\b|"
    r"what (?:do|does|would|will) .{1,40} cost\b|(?:whats|what is) the (?:price|cost) (?:of|for)\b|"
    # "is guac extra", "does bacon cost more": whether the option costs something
    r"(?:is|are) (?:the )?\w+(?: \w+)? extra\b|(?:does|do) (?:the )?\w+(?: \w+)? cost "
    r"(?:extra|more)\b)"
)
# "how much is the juice?": a line by the word of its kind
_HOW_MUCH_THE = re.compile(
    r"^(?:so |and |ok |okay |um |wait )*how much (?:is|are|was|were|for) (?:the|my|that|those|"
    r"these) \w+s?(?: [?.])*$"
)
# "so take off two", "take 2 away": units of the line talked about
_TAKE_OFF_COUNT = re.compile(
    r"\btake (?:off|away|out) (?:one|two|three|four|five|\d+)$|"
    r"\btake (?:one|two|three|four|five|\d+)(?: \w+)? (?:off|away|out)$"
)
_LESS = re.compile(r"\b(?:one|two|three|a|\d+) (?:less|fewer)\b(?! than)")
_DIGIT = re.compile(r"\d")
# a count of dishes said: "2 apple slices, price?" is an order with a question after it
_COUNT_SAID = re.compile(r"\b(?:a|an|one|two|three|four|five|six|\d+)\b")
_COUNTED = re.compile(r"\b(?:one|two|three|four|five|\d+)\b")
_DEFINITE = re.compile(r"\b(?:the|my|that|those|this|these|both|all)\b")
_STATUS_WORDS = re.compile(r"\b(status|where|track|ready)\b")
_ORDER_WORDS = re.compile(r"\b(?:order|want|like|get|have)\b")


# Chat spellings the rules are not written for: "do u have", "r u open", "ur menu".
_CHAT_WORDS = {"u": "you", "ur": "your", "r": "are", "ya": "you", "yu": "you", "wat": "what"}
_CHAT = re.compile(r"\b(?:u|ur|r|yu|wat)\b|(?<=\bdo )ya\b")


def _always(_: Features) -> bool:
    return True


def _change_confidence(f: Features) -> float:
    return 0.8


def _add_confidence(f: Features) -> float:
    ratio = f.unknown_words / max(f.content_words, 1)
    confidence = 0.95 - 0.6 * ratio - (0.0 if f.named_items else 0.15)
    return max(0.3, round(confidence, 2))


def _change_refers(f: Features) -> dict[str, object]:
    return {"refers_to_last": not f.named_items or bool(_MAKE_THAT.search(f.text))}


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the intent table: the message matches `pattern` (searched in the normalized
    text, when given) and `when` holds. The first matching row of `RULES` wins.

    `examples` are messages the row must classify on the demo menu (a unit test reads every
    row's examples), so a new intent is an enum value, a row, a route and its examples.

    `flags_first` says `when` is cheaper than the pattern (it reads what the grammar found, or
    the start of the message), so it is tested first: most orders name an item, and "not
    f.named_items" turns them away without a search. Either order gives the same answer.
    """

    intent: Intent
    confidence: float | Callable[[Features], float]
    pattern: re.Pattern[str] | None = None
    when: Callable[[Features], bool] = _always
    details: Callable[[Features], dict[str, object]] | None = None
    examples: tuple[str, ...] = ()
    flags_first: bool = False

    def match(self, f: Features) -> IntentGuess | None:
        """The guess this row makes for the message, if it applies."""
        if self.flags_first and not self.when(f):
            return None
        if self.pattern is not None and not self.pattern.search(f.text):
            return None
        if not self.flags_first and not self.when(f):
            return None
        confidence = self.confidence if isinstance(self.confidence, float) else self.confidence(f)
        return IntentGuess(self.intent, confidence, self.details(f) if self.details else {})


_REFERS: dict[str, object] = {"refers_to_last": True}

# The table, most specific first: a six-digit code and a phone number before anything, social
# messages only when they are the whole message, questions about the restaurant before
# checkout (so "do you deliver?" starts no sign-in), an order that mentions delivery is still
# an order.
RULES: tuple[Rule, ...] = (
    Rule(
        Intent.PROVIDE_CODE,
        0.95,
        when=lambda f: f.code is not None and len(f.words) <= 12 and not f.has_items,
        details=lambda f: {"code": f.code},
        examples=("482913", "the code is 482 913", "code: 123-456"),
    ),
    Rule(
        Intent.PROVIDE_PHONE,
        0.95,
        when=lambda f: f.phone is not None and not f.named_items,
        details=lambda f: {"phone": f.phone},
        examples=("555-867-5309", "my number is 415 555 0134", "+44 20 7946 0958"),
    ),
    *(
        Rule(
            intent,
            0.95,
            pattern,
            when=lambda f: len(f.words) <= 12,
            flags_first=True,
            examples=examples,
        )
        for (intent, pattern), examples in zip(
            _SOCIAL,
            (
                ("hi", "hey there", "good morning!"),
                ("thanks!", "thank you so much"),
                ("bye", "see ya later"),
                ("yes", "yeah sure", "that's all"),
                ("no", "nope", "no thanks"),
                ("help", "what can you do"),
            ),
            strict=True,
        )
    ),
    Rule(
        Intent.WAIT,
        0.9,
        _WAIT,
        examples=("hmm let me think", "one sec", "hold on", "still deciding"),
    ),
    Rule(
        Intent.PARTY,
        0.9,
        # (one count at most, the party's: "2 pizzas for 4 people" at a sub shop is an order;
        # "for me, Rita and Paul" hands out what was just ordered)
        when=lambda f: (
            not (f.has_items or f.has_options or f.text.startswith("for "))
            # ("two adults two kids": the party counted group by group)
            and sum(w.isdigit() or w in NUMBER_WORDS for w in _WORD.findall(f.raw.lower()))
            <= max(1, len(groups_counted(f.raw)))
            and party_size(f.raw) is not None
        ),
        examples=("there are 5 of us", "lunch for 6 coworkers", "kids party - 8 kids"),
    ),
    Rule(
        Intent.RESEND_CODE,
        0.9,
        _RESEND,
        examples=("i didn't get a code", "resend the code", "can you send it again"),
    ),
    Rule(
        Intent.ASK_RESTAURANT,
        0.9,
        _RESTAURANT,
        when=lambda f: not f.named_items or f.question,
        flags_first=True,
        examples=(
            "are you open?",
            "when do you close?",
            "do you deliver to 10001?",
            "how long for pickup?",
            "what are your hours",
            "do you deliver to Brooklyn?",
            "how long does a pizza take?",
            "where are you located",
        ),
    ),
    Rule(
        Intent.ORDER_STATUS,
        0.9,
        when=lambda f: (
            bool(_STATUS.search(f.text))
            or (f.number is not None and bool(_STATUS_WORDS.search(f.text)))
        ),
        details=lambda f: {"order_number": f.number},
        examples=("where's my order", "status of order A7K3", "is my order ready?"),
    ),
    # The cheap flag first: with an item named, these never apply.
    Rule(
        Intent.CANCEL_ORDER,
        0.85,
        _CANCEL_ORDER,
        when=lambda f: not f.named_items,
        flags_first=True,
        details=lambda f: {"order_number": f.number},
        examples=("cancel my order", "i want to cancel the order"),
    ),
    Rule(
        Intent.CLEAR_CART,
        0.9,
        _CLEAR,
        when=lambda f: not f.named_items,
        flags_first=True,
        examples=("start over", "clear my cart", "forget everything"),
    ),
    Rule(
        Intent.VIEW_CART,
        0.9,
        _VIEW,
        when=lambda f: not f.named_items,
        flags_first=True,
        examples=("what's in my cart", "show my order", "whats my total?"),
    ),
    Rule(
        Intent.REMOVE_ITEMS,
        0.85,
        _NAMED_THEN_OFF,
        when=lambda f: f.has_items,  # ("the spinach one was for ..."; a dish by its option)
        flags_first=True,
        examples=("the coke was for my son but he's asleep, take it off",),
    ),
    Rule(
        Intent.REMOVE_ITEMS,
        0.85,
        _REMOVE_PRONOUN,
        when=lambda f: not f.named_items,
        flags_first=True,
        details=lambda f: _REFERS,
        examples=("remove that", "take it off"),
    ),
    Rule(
        Intent.REMOVE_ITEMS,
        0.85,
        _LESS,
        examples=("one less coke", "2 fewer fries please"),
    ),
    Rule(
        Intent.REMOVE_ITEMS,
        0.8,
        _TAKE_OFF_COUNT,
        details=lambda f: _REFERS,
        examples=("two people cancelled, so take off two", "take 2 away"),
    ),
    Rule(
        Intent.REMOVE_ITEMS,
        0.85,
        _REMOVE_START,
        when=lambda f: (
            (f.named_items or (f.has_items and bool(_COUNTED.search(f.text))))
            and bool(_REMOVE.search(f.text))
        ),
        examples=(
            "remove the coke",
            "take off one coke",
            "get rid of the fries",
            "take off one pepperoni and one water",
        ),
    ),
    Rule(
        Intent.REMOVE_ITEMS,
        0.75,
        _REMOVE_START,
        when=lambda f: (
            not f.named_items
            and (
                not f.has_options
                or bool(_ONE_HEAD.search(f.text))
                or bool(_OFF_THEN_MORE.search(f.text))
            )
            and bool(_DEFINITE.search(f.text) or _COUNTED.search(f.text))
            and bool(_REMOVE.search(f.text))
        ),
        details=lambda f: _REFERS,
        examples=("forget the drink", "remove the sides", "take away one chocolate"),
    ),
    Rule(
        Intent.ASK_ITEM,
        0.85,
        when=lambda f: f.has_items and f.asking,
        examples=("how much is a large margherita pizza?", "what's in the cobb salad?"),
    ),
    Rule(
        Intent.ASK_ITEM,
        0.8,
        _ADD_PRICE,
        when=lambda f: f.has_options and not f.named_items,
        flags_first=True,
        details=lambda f: _REFERS,
        examples=("how much extra to add bacon?", "how much is it to add mushrooms"),
    ),
    Rule(
        Intent.ASK_ITEM,
        0.7,
        _HOW_MUCH,
        details=lambda f: _REFERS,
        examples=("how much", "and how much?", "what does it cost?", "price too"),
    ),
    Rule(
        Intent.ASK_ITEM,
        0.7,
        _OPTION_PRICE,
        # "how much are green peppers?" where no dish takes them alone: what they add
        when=lambda f: f.has_options and not f.has_items,
        flags_first=True,
    ),
    Rule(
        Intent.ASK_ITEM,
        0.6,
        _HOW_MUCH_THE,
        examples=("how much is the juice?", "how much were the drinks"),
    ),
    Rule(
        Intent.ASK_ITEM,
        0.6,
        _PRONOUN,
        when=lambda f: f.asking and not _BROWSE.search(f.text),
        details=lambda f: _REFERS,
        examples=("how much is that?", "is it spicy?"),
    ),
    Rule(
        Intent.BROWSE_MENU,
        0.7,
        _COME_IN,
        # "do the sodas come in 2 liters": whether a kind is sold so, no dish named to order
        when=lambda f: not f.named_items and not f.ordering,
        flags_first=True,
        examples=("do the sodas come in 2 liters", "are your drinks available in large?"),
    ),
    Rule(
        Intent.BROWSE_MENU,
        0.75,
        _WH_ANYWHERE,
        # "which of your sandwiches are vegetarian?", "what toppings can i add to a burger?"
        when=lambda f: (
            (f.raw.rstrip().endswith("?") or bool(_WH_START.match(f.text)))
            and not f.changing
            and (f.has_items or f.has_options or bool(_DIET.search(f.text)))
        ),
        examples=(
            "which of your pizzas are vegetarian?",
            "what toppings can I add to a burger?",
            "which ranch is better",
        ),
    ),
    Rule(
        Intent.CHANGE_ITEM,
        _change_confidence,
        when=lambda f: (
            (f.named_items or f.has_options or f.has_quantity or f.has_items)
            and f.changing
            and (
                not _MORE_WORDS.search(f.text) or not f.named_items or bool(_SHOULD.search(f.text))
            )
        ),
        details=_change_refers,
        examples=("make that large", "no onions on the burger", "switch the chicken to steak"),
    ),
    Rule(
        Intent.BROWSE_MENU,
        0.8,
        _BROWSE,
        when=lambda f: not f.named_items,
        flags_first=True,
        examples=("show me the menu", "what's vegetarian?", "what do you recommend"),
    ),
    Rule(
        Intent.BROWSE_MENU,
        0.7,
        _BROWSE,
        when=lambda f: (f.question or not f.has_items) and not f.ordering,
        flags_first=True,
        examples=("do you have pepperoni pizza",),
    ),
    # Asking to be shown dishes is browsing, even when the dishes are named.
    Rule(
        Intent.BROWSE_MENU,
        0.7,
        _SHOW,
        when=lambda f: not f.ordering,
        examples=("show me the salads", "can I see the burgers"),
    ),
    Rule(
        Intent.CHECKOUT,
        0.85,
        _CHECKOUT,
        # An order that says how it is to be had ("a large hawaiian to go") is an order.
        when=lambda f: (
            not f.named_items
            and (not f.has_items or bool(_PAY.search(f.text)))
            and (not _WH_QUESTION.match(f.text) or bool(_PAY.search(f.text)))
        ),
        flags_first=True,
        examples=("that's all, checkout", "i'm ready to pay", "I'll pick it up"),
    ),
    Rule(
        Intent.CHECKOUT,
        0.7,
        when=lambda f: not f.has_items and bool(_BARE_ADDRESS.match(f.raw.strip(" .!?"))),
        examples=("12 Main Street, Springfield",),
    ),
    Rule(
        Intent.CHANGE_ITEM,
        0.6,
        when=lambda f: (
            f.bare_options
            and not f.unknown_words
            and not f.ordering
            and (not f.question or bool(_ASKED_TO_DO.match(f.text)))
        ),
        details=lambda f: _REFERS,
        examples=("no onions", "well done please", "could you remove the onions?"),
    ),
    Rule(
        Intent.ASK_ITEM,
        0.65,
        _WITH_WHAT,
        when=lambda f: f.question and (f.has_options or f.has_items),
        details=lambda f: _REFERS,
        examples=("with bacon?", "and with a large?"),
    ),
    Rule(
        Intent.ASK_ITEM,
        0.7,
        _YES_NO,
        when=lambda f: f.has_items and f.question and not f.ordering,
        examples=("do the sprites come in large?", "is the cobb salad big?"),
    ),
    Rule(
        Intent.CHANGE_ITEM,
        0.6,
        _ADD_OPTION,
        when=lambda f: f.has_options and not f.has_items and not f.unknown_words,
        flags_first=True,
        details=lambda f: _REFERS,
        examples=("add extra cheese", "and put bacon on it"),
    ),
    Rule(
        Intent.CHANGE_ITEM,
        0.6,
        _ALSO,
        when=lambda f: f.has_options and not f.has_items and not f.unknown_words,
        flags_first=True,
        details=lambda f: _REFERS,
        examples=("jalapenos and red onions too", "and ranch as well"),
    ),
    Rule(
        Intent.ADD_ITEMS,
        _add_confidence,
        when=lambda f: f.has_items,
        examples=("two large pepperoni pizzas", "a coke please"),
    ),
    # "make that a double": a correction, even when the new value is not a menu word
    Rule(Intent.CHANGE_ITEM, 0.5, _MAKE_THAT, details=lambda f: _REFERS),
    # "another one", "same again": the last line or the last additions once more
    Rule(
        Intent.REPEAT_ITEMS,
        0.6,
        _AGAIN,
        when=lambda f: not f.has_options,
        flags_first=True,
        examples=("another one please", "same again", "one more of those"),
    ),
    Rule(
        Intent.REPEAT_ITEMS,
        0.6,
        _SAME_AGAIN,
        when=lambda f: not f.has_items,
        flags_first=True,
        examples=("my buddy wants the exact same", "can i get a second one of those"),
    ),
    Rule(
        Intent.CHANGE_ITEM,
        0.55,
        _JUST,
        when=lambda f: f.has_quantity and not f.has_items,
        flags_first=True,
        details=lambda f: _REFERS,
        examples=("just two actually", "only one please"),
    ),
    Rule(
        Intent.CHANGE_ITEM,
        0.55,
        _POINTING,
        when=lambda f: f.has_options or f.has_quantity,
        flags_first=True,
        details=lambda f: _REFERS,
        examples=("actually 3 of them",),
    ),
    Rule(
        Intent.ADD_ITEMS,
        0.4,
        when=lambda f: f.unknown_words > 0 and (f.ordering or f.has_quantity),
        examples=("i want a calzone",),
    ),
    # "i'd like to order": an order is coming, but nothing in it yet.
    Rule(Intent.ADD_ITEMS, 0.45, _ORDER_WORDS, when=lambda f: f.ordering),
    Rule(Intent.HELP, 0.6, re.compile(r"\b(?:help|how do|confused)\b")),
    Rule(Intent.GREET, 0.6, re.compile(r"^(?:hi|hello|hey|good (?:morning|afternoon|evening))\b")),
    Rule(Intent.THANKS, 0.6, re.compile(r"\b(?:thanks|thank you|thx)\b")),
    Rule(Intent.AFFIRM, 0.6, re.compile(r"^(?:yes|yeah|yep|sure|ok|okay)\b")),
    Rule(Intent.DENY, 0.55, re.compile(r"^(?:no|nope|nah)\b")),
    Rule(Intent.GOODBYE, 0.6, re.compile(r"\b(?:bye|goodbye)\b")),
)


def classify(
    norm: str,
    raw: str,
    *,
    has_items: bool,
    named_items: bool,
    has_options: bool,
    has_quantity: bool,
    unknown_words: int,
    content_words: int,
    bare_options: bool = False,
) -> IntentGuess:
    """Pick the intent of a message from its normalized text and what the grammar found in it:
    the first row of `RULES` that matches."""
    text = _CHAT.sub(lambda m: _CHAT_WORDS[m.group(0)], norm.replace(" .", "").replace(" ,", ","))
    text = text.strip()
    if not text or not any(c.isalnum() for c in text):
        return IntentGuess(Intent.UNKNOWN, 0.0)
    words = tuple(text.split())
    digits = _DIGIT.search(raw) is not None
    features = Features(
        text=text,
        raw=raw,
        has_items=has_items,
        named_items=named_items,
        has_options=has_options,
        has_quantity=has_quantity,
        unknown_words=unknown_words,
        content_words=content_words,
        bare_options=bare_options,
        words=words,
        code=code_in(raw) if digits else None,
        phone=phone_in(raw) if digits else None,
        number=order_number_in(raw) if digits else None,
    )
    for rule in RULES:
        guess = rule.match(features)
        if guess is not None:
            return guess
    return IntentGuess(Intent.UNKNOWN, 0.2 if content_words else 0.1)

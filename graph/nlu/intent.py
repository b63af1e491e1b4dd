"""Offline intent classification: which of the graph's intents a message expresses, and the
details that come with it (a phone number, a code, an address, a price limit).

Rules are checked from the most specific (a six-digit code, a phone number) to the most general
(an order), so an order that mentions delivery is still an order. Short social messages ("yes",
"thanks", "bye") are recognised only when they are the whole message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from graph.intents import Intent, OrderType

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
# "12 Main Street, Springfield", "45 Oak Ave apt 3": a message that is only an address.
_BARE_ADDRESS = re.compile(
    r"^\d+[a-z]?\s+(?:[a-z.']+\s+){0,4}(?:st|street|ave|avenue|rd|road|blvd|boulevard|lane|ln|"
    r"dr|drive|way|ct|court|pl|place|pkwy|parkway|ter|terrace|hwy|highway|cir|circle|sq|square)"
    r"\b[\w\s,.#'-]*$",
    re.I,
)
_STREET_HINT = re.compile(r"\d|\b(st|street|ave|avenue|rd|road|blvd|lane|ln|dr|drive|way|apt)\b")

_TAGS: tuple[tuple[str, str], ...] = (
    ("vegetarian", r"vegetarian|veggie|meatless|no meat|without meat|plant based"),
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
    match = _ADDRESS.search(text)
    if match is None:
        alone = text.strip(" .!?")
        return alone if bare and _BARE_ADDRESS.match(alone) else None
    address = re.split(r"\s+(?:please|thanks|thank you|asap)\b", match.group(1), flags=re.I)[0]
    address = address.strip(" .,!?")
    return address if address and _STREET_HINT.search(address.lower()) else None


def tags_in(norm: str) -> tuple[str, ...]:
    """Dietary tags a message asks for."""
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

_FILL = r"(?:\s*(?:please|pls|plz|thanks|thank you|ok|okay|then|now|just|so|um|uh|oh|well|hey|hi))*"


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
            r"that should do it|thats everything|i think thats it|i think thats all|looks good|"
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
    r"\b(?:cancel(?:l?ed|l?ing)?|call off|abort|revoke|withdraw)\b(?:\s+\w+){0,3}\s+"
    r"(?:order|purchase|delivery)\b|\bcancel (?:it|that) (?:order )?(?:please )?(?:i placed|"
    r"i made|already)|\b(?:dont|do not|no longer) want (?:my|the|this|that) order\b"
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
    r"where am i at|what (?:i have|ive ordered) so far|read (?:it|that) back)\b"
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
    r"\b(?:remove|delete|drop|take (?:off|out|away)|get rid of|cancel|scratch|lose|nix|ditch|"
    r"forget|minus|no more|dont want the|dont want that|do not want the|i dont want (?:the|that|"
    r"those|any)|without the|leave out|cut|erase|subtract|take the .* off|take .* out)\b"
)
_REMOVE_PRONOUN = re.compile(
    r"\b(?:remove|delete|drop|cancel|scratch|forget|nix|ditch|lose|get rid of) (?:it|that|this|"
    r"those|them|"
    r"the last (?:one|thing|item)|that last (?:one|thing|item)|the last)\b"
    r"|\btake (?:it|that|this|those|them) (?:off|out|away)\b"
)
# "actually", "wait": a correction only when no new order follows ("actually, can i get a coke"
# is an order).
_CHANGE_OPENER = re.compile(
    r"^(?:actually|wait|sorry|oops|correction|hmm|no,? (?:wait|actually)|i meant|i mean|"
    r"instead|change of plans?)\b"
)
_CHANGE = re.compile(
    r"^(?:no,? make|i meant)\b|\b(?:make (?:that|it|them|those|this|the|my|both|all|one)|"
    r"change|switch|swap|instead of|rather than|substitute|replace|upgrade|downgrade|turn (?:that|"
    r"it|the)|can (?:i|we) (?:get|have|make) (?:that|it|them|those) |i meant|update (?:the|my|"
    r"that)|modify|edit|correct (?:the|my|that)|fix (?:the|my|that)|should (?:be|have been))\b"
)
# "no onions on the burger", "extra cheese on my pizza": options for an item already ordered.
_CHANGE_ON = re.compile(
    r"^(?:please |can you |could you |and )?(?:no|without|hold|extra|add|"
    r"put(?! (?:an|in|in an|my|the|me) )|light|go light|easy|"
    r"go easy|more|less|double|leave|skip)\b.*\b(?:on|from|off|for|to|in) (?:the|my|that|those|"
    r"both|all the|all|each) (?:\w+ ){0,2}(?!order$|cart$|basket$|side$|top$)\w+$"
)
_AGAIN = re.compile(
    r"^(?:and )?(?:another(?: one)?|one more|(?:the )?same (?:again|thing)|again|same again|"
    r"(?:one|two|\d+) more(?: of (?:those|them|that|it))?)\b"
)
_REFER = re.compile(
    r"\b(?:that|it|them|those|this|these|the last|the first|the second|both|all of them|"
    r"each|one of them|the same)\b"
)
_ASK = re.compile(
    r"\b(?:how much\b|hm+ for|how much$|whats the (?:price|cost)|"
    r"what(?:s| is| are) the (?:price|cost|ingredients|calories|allergens|sizes?)|"
    r"(?:price|cost|prices|costs) (?:of|for|on)|what (?:does|do) (?:a|an|the|your) .{0,40} "
    r"cost|what(?:s| is| are)? (?:in|on) (?:a|an|the|your)|what comes (?:on|in|with)|"
    r"ingredients|allergens?|allergy|calories|nutrition|does (?:a|an|the|it|your|that) .{0,40}"
    r"(?:have|contain|come with|include)|do (?:the|your|they) .{0,40}(?:have|contain|come with)|"
    r"(?:is|are) (?:a|an|the|your|it|they|that) .{0,40}(?:spicy|vegan|vegetarian|gluten|halal|"
    r"dairy|good|big|hot|healthy|fresh|made)|tell me (?:about|more about)|describe|"
    r"what(?:s| is) (?:a|an|the) \w+|how big|what sizes?|how many (?:slices|inches|ounces|oz)|"
    r"(?:contains?|made with) (?:nuts|dairy|gluten|egg|meat)|any (?:nuts|dairy|gluten) in)"
)
_BROWSE = re.compile(
    r"\b(?:menu|what do you (?:have|sell|offer|serve|got|make|recommend)|what (?:kinds?|types?|"
    r"sorts?|flavou?rs?|sizes?|toppings|drinks|sides|options|choices) (?:of|do|are|can|have)|"
    r"whats (?:good|popular|vegetarian|vegan|spicy|available|on offer|new|cheap|there)|"
    r"what(?:s| is| are) (?:vegetarian|vegan|spicy|gluten free|halal|popular|cheap|available)|"
    r"(?:any|anything|something|some) (?:vegetarian|vegan|spicy|gluten|halal|cheap|popular|"
    r"under|for under|healthy|light|new|good|sweet|cold|hot|without|with no|dairy|nut|meatless|"
    r"else|to drink|to eat)|options|choices|do you (?:have|sell|offer|serve|carry|do|make)|"
    r"got any|you guys have|recommend|suggest|whats available|what else|show me|list (?:of|the|"
    r"your|all)|selection|specials|(?:todays|daily|the) special|deals?|under \$?\d|"
    r"less than \$?\d|cheaper than|"
    r"what can i (?:get|order|have)|what are (?:the|your)|whats (?:on|in) the menu|"
    r"what drinks|what sides|which (?:ones?|items|pizzas|burgers|drinks))\b"
)
_ORDER_VERB = re.compile(
    r"\b(?:i(?:d| would)? (?:like|want|need|love|take|have|get|prefer|wish|feel like)|"
    r"(?:can|could|may) (?:i|we|you) (?:get|have|order|grab|do)|give me|gimme|lemme|let me (?:get|"
    r"have)|get me|ill (?:have|take|get|do|go with)|we(?:ll| will)? (?:have|take|get)|order|add|"
    r"want|wanna|grab|bring me|put in|throw in|going to (?:have|get)|gonna (?:have|get)|"
    r"i(?:ll| will) go (?:with|for))\b"
)


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
    """Pick the intent of a message from its normalized text and what the grammar found in it.

    `has_items`: the grammar read order lines; `named_items`: one of them names its item (not
    inferred from options alone); `has_options`/`has_quantity`: options or a number were said
    without an item ("make that large", "actually 3"); `bare_options`: only options, with no
    item and no count ("no onions", "decaf please"), which in a conversation change the last line.
    """
    text = norm.replace(" .", "").replace(" ,", ",").strip()
    if not text or not any(c.isalnum() for c in text):
        return IntentGuess(Intent.UNKNOWN, 0.0)
    words = text.split()
    digits = any(c.isdigit() for c in raw)
    code = code_in(raw) if digits else None
    if code is not None and len(words) <= 12 and not has_items:
        return IntentGuess(Intent.PROVIDE_CODE, 0.95, {"code": code})
    phone = phone_in(raw) if digits else None
    if phone is not None and not named_items:
        return IntentGuess(Intent.PROVIDE_PHONE, 0.95, {"phone": phone})
    social = social_intent(text) if len(words) <= 12 else None
    if social is not None:
        return IntentGuess(social, 0.95)
    if _RESEND.search(text):
        return IntentGuess(Intent.RESEND_CODE, 0.9)
    number = order_number_in(raw) if digits else None
    if _STATUS.search(text) or (number and re.search(r"\b(status|where|track|ready)\b", text)):
        return IntentGuess(Intent.ORDER_STATUS, 0.9, {"order_number": number})
    # The cheap flag first: with an item named, these never apply.
    if not named_items and _CANCEL_ORDER.search(text):
        return IntentGuess(Intent.CANCEL_ORDER, 0.85, {"order_number": number})
    if not named_items and _CLEAR.search(text):
        return IntentGuess(Intent.CLEAR_CART, 0.9)
    if not named_items and _VIEW.search(text):
        return IntentGuess(Intent.VIEW_CART, 0.9)
    if not named_items and _REMOVE_PRONOUN.search(text):
        return IntentGuess(Intent.REMOVE_ITEMS, 0.85, {"refers_to_last": True})
    if (
        named_items
        and _REMOVE.search(text)
        and re.match(
            r"^(?:please )?(?:remove|delete|drop|take|get rid|cancel|scratch|lose|nix|"
            r"ditch|forget|minus|no more|i dont want|dont want|do not want|cut|erase|"
            r"subtract|i no longer want|"
            r"(?:can|could) you (?:please )?(?:remove|take|delete|drop|cancel)|"
            r"please (?:remove|take|delete|drop)|could you (?:remove|"
            r"take|delete|drop|cancel)|(?:actually |oh |wait |hmm |um |sorry )+(?:remove|"
            r"take|delete|drop|cancel|scratch|forget|no more|i dont want|lose|nix))",
            text,
        )
    ):
        return IntentGuess(Intent.REMOVE_ITEMS, 0.85)
    wondering = bool(re.search(r"\b(?:like|want|need) to know\b|\bwondering\b", text))
    if _ASK.search(text) and (wondering or not _ORDER_VERB.search(text)):
        if has_items:
            return IntentGuess(Intent.ASK_ITEM, 0.85)
        if re.search(r"\b(?:it|that|this|them|those|they)\b", text) and not _BROWSE.search(text):
            return IntentGuess(Intent.ASK_ITEM, 0.6, {"refers_to_last": True})
    opener = bool(_CHANGE_OPENER.search(text)) and not _ORDER_VERB.search(text)
    # "get me a large pizza with ham, and make it thin crust" is one order, not a correction.
    ordering = named_items and bool(_ORDER_VERB.search(" ".join(words[:4])))
    changing = (not ordering and (opener or _CHANGE.search(text))) or _CHANGE_ON.search(text)
    if changing and (named_items or has_options or has_quantity or has_items):
        refers = not named_items or bool(
            re.search(r"\b(?:make|change|turn) (?:that|it|them|those|this)\b", text)
        )
        if not re.search(r"\b(?:also|another|more|plus|as well|too)\b", text) or not named_items:
            return IntentGuess(Intent.CHANGE_ITEM, 0.8, {"refers_to_last": refers})
    if _BROWSE.search(text) and not (named_items and _ORDER_VERB.search(text)):
        return IntentGuess(Intent.BROWSE_MENU, 0.8 if not named_items else 0.7)
    if not named_items and _CHECKOUT.search(text):
        return IntentGuess(Intent.CHECKOUT, 0.85)
    if not has_items and _BARE_ADDRESS.match(raw.strip(" .!?")):
        return IntentGuess(Intent.CHECKOUT, 0.7)
    question = raw.rstrip().endswith("?") or bool(
        re.match(r"^(?:is|are|does|do|what|which|how|why|who|where|when)\b", text)
    )
    if bare_options and not unknown_words and not question and not _ORDER_VERB.search(text):
        return IntentGuess(Intent.CHANGE_ITEM, 0.6, {"refers_to_last": True})
    if has_items:
        ratio = unknown_words / max(content_words, 1)
        confidence = 0.95 - 0.6 * ratio - (0.0 if named_items else 0.15)
        return IntentGuess(Intent.ADD_ITEMS, max(0.3, round(confidence, 2)))
    if re.search(r"\b(?:make|change|turn) (?:that|it|them|those|this)\b", text):
        # "make that a double": a correction, even when the new value is not a menu word
        return IntentGuess(Intent.CHANGE_ITEM, 0.5, {"refers_to_last": True})
    if _AGAIN.search(text) and not has_options:
        # "another one", "same again": one more of the last line
        return IntentGuess(Intent.ADD_ITEMS, 0.6, {"refers_to_last": True})
    if (has_options or has_quantity) and re.search(r"\b(?:that|it|them|those|one)\b", text):
        return IntentGuess(Intent.CHANGE_ITEM, 0.55, {"refers_to_last": True})
    if unknown_words and (_ORDER_VERB.search(text) or has_quantity):
        return IntentGuess(Intent.ADD_ITEMS, 0.4)
    if re.search(r"\b(?:order|want|like|get|have)\b", text) and _ORDER_VERB.search(text):
        # "i'd like to order": an order is coming, but nothing in it yet.
        return IntentGuess(Intent.ADD_ITEMS, 0.45)
    if re.search(r"\b(?:help|how do|confused)\b", text):
        return IntentGuess(Intent.HELP, 0.6)
    if re.match(r"^(?:hi|hello|hey|good (?:morning|afternoon|evening))\b", text):
        return IntentGuess(Intent.GREET, 0.6)
    if re.search(r"\b(?:thanks|thank you|thx)\b", text):
        return IntentGuess(Intent.THANKS, 0.6)
    if re.match(r"^(?:yes|yeah|yep|sure|ok|okay)\b", text):
        return IntentGuess(Intent.AFFIRM, 0.6)
    if re.match(r"^(?:no|nope|nah)\b", text):
        return IntentGuess(Intent.DENY, 0.55)
    if re.search(r"\b(?:bye|goodbye)\b", text):
        return IntentGuess(Intent.GOODBYE, 0.6)
    return IntentGuess(Intent.UNKNOWN, 0.2 if content_words else 0.1)

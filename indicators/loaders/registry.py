"""Every indicator loader, in one place: what the build runs, what update-data rebuilds and which
publisher folders a download refreshes all come from `LOADERS`.

Each entry names the loader (the `loader` column of skipped.csv), its function and the publisher
folders it reads, its own first (each loader module declares its folders as constants). Where
two loaders read the same folder (the diaspora-voting file gives external voting and, with the
UN DESA emigrant stock, diaspora turnout) `emits` says which catalogue indicators each one gives,
so an indicator can be traced to one loader.

The published indices (`published.load_published`) are read by the build for external validity;
they are not an indicator loader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indicators.loaders import (
    LoadResult,
    broadcasters,
    cultural_institutes,
    diaspora_voting,
    eiti,
    freedom_house,
    gallup,
    globalcit,
    heritage,
    lowy,
    passport,
    rsf,
    uis,
    undesa,
    vdem,
    voeten,
    worldbank,
)


@dataclass(frozen=True)
class Loader:
    name: str
    load: Callable[[Path], LoadResult]
    folders: tuple[str, ...]  # the publisher folders it reads, its own first
    emits: tuple[str, ...] = ()  # catalogue indicators, where loaders share their own folder


LOADERS: dict[str, Loader] = {
    loader.name: loader
    for loader in [
        Loader("rsf", rsf.load, (rsf.FOLDER,)),
        Loader("freedom_house", freedom_house.load, (freedom_house.FOLDER,)),
        Loader("lowy", lowy.load, (lowy.FOLDER,)),
        Loader("broadcasters", broadcasters.load, (broadcasters.FOLDER,)),
        Loader("globalcit", globalcit.load, (globalcit.FOLDER,)),
        Loader("undesa", undesa.load, (undesa.FOLDER, undesa.POPULATION_FOLDER)),
        Loader("worldbank", worldbank.load, (worldbank.FOLDER,)),
        Loader(
            "diaspora_voting",
            diaspora_voting.load,
            (diaspora_voting.FOLDER,),
            emits=(diaspora_voting.INDICATOR,),
        ),
        Loader(
            "diaspora_turnout",
            diaspora_voting.load_turnout,
            (diaspora_voting.FOLDER, diaspora_voting.STOCK_FOLDER),
            emits=(diaspora_voting.TURNOUT,),
        ),
        Loader("eiti", eiti.load, (eiti.FOLDER,)),
        Loader("passport", passport.load, (passport.FOLDER,)),
        Loader("vdem", vdem.load, (vdem.FOLDER,)),
        Loader("voeten", voeten.load, (voeten.FOLDER,)),
        Loader("cultural_institutes", cultural_institutes.load, (cultural_institutes.FOLDER,)),
        Loader("uis", uis.load, (uis.FOLDER,)),
        Loader("heritage", heritage.load, (heritage.FOLDER,)),
        Loader("gallup", gallup.load, (gallup.FOLDER,)),
    ]
}


def publisher_folders() -> list[str]:
    """Every publisher folder a loader reads, in registry order (a folder read only as a
    denominator, the UN WPP population, included)."""
    return list(dict.fromkeys(folder for loader in LOADERS.values() for folder in loader.folders))

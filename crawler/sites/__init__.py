"""Site knowledge: the profile registry that the extractor and the spider read.

`crawler/sites/profiles.py` holds the profiles (data); `profile.py` their shape."""

from crawler.sites.profile import ProfileRegistry, SiteProfile
from crawler.sites.profiles import PROFILES

REGISTRY = ProfileRegistry(list(PROFILES))

__all__ = ["REGISTRY", "ProfileRegistry", "SiteProfile"]

"""ReviewDay: an offline app for Care (Education) and Treatment Review days."""

import warnings

__version__ = "0.1.0"

# pyHanko imports cryptography's DSA key type, which newer cryptography releases mark as
# deprecated on import. ReviewDay signs with RSA and never uses DSA; the warning would only
# reach a user as noise on stderr (breaking the command line's one-line answers), so it is
# silenced for pyHanko's modules alone.
warnings.filterwarnings("ignore", message=r"DSA is deprecated", module=r"pyhanko(\.|$)")

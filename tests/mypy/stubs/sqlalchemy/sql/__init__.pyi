from .expression import select as select
from .expression import text as text

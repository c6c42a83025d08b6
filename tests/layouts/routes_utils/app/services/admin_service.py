"""Back-office operations (grew one method per ticket)."""

from __future__ import annotations

from repositories.post_repository import PostRepository
from schemas.post import PostPage
from utils.pagination import clamp


class AdminService:  # expect: FAL304 -- 21 public methods: posts, users, mail, payments, reports
    def __init__(self, posts: PostRepository) -> None:
        self.posts = posts
        self.audit: list[str] = []

    @property
    def last_action(self) -> str | None:
        return self.audit[-1] if self.audit else None

    def _log(self, action: str) -> None:
        self.audit.append(action)

    async def list_posts(self, limit: int, offset: int) -> PostPage:
        posts = await self.posts.find_all(clamp(limit), offset)
        return PostPage(items=[], total=len(posts), limit=limit, offset=offset)

    async def publish_post(self, post_id: int) -> None: self._log(f"publish {post_id}")
    async def unpublish_post(self, post_id: int) -> None: self._log(f"unpublish {post_id}")
    async def feature_post(self, post_id: int) -> None: self._log(f"feature {post_id}")
    async def pin_post(self, post_id: int) -> None: self._log(f"pin {post_id}")
    async def delete_post(self, post_id: int) -> None: self._log(f"delete {post_id}")
    async def restore_post(self, post_id: int) -> None: self._log(f"restore {post_id}")
    async def ban_user(self, user_id: int) -> None: self._log(f"ban {user_id}")
    async def unban_user(self, user_id: int) -> None: self._log(f"unban {user_id}")
    async def promote_user(self, user_id: int) -> None: self._log(f"promote {user_id}")
    async def demote_user(self, user_id: int) -> None: self._log(f"demote {user_id}")
    async def reset_password(self, user_id: int) -> None: self._log(f"reset {user_id}")
    async def send_email(self, email: str) -> None: self._log(f"mail {email}")
    async def send_digest(self, user_id: int) -> None: self._log(f"digest {user_id}")
    async def process_payment(self, invoice_id: int) -> None: self._log(f"pay {invoice_id}")
    async def refund_payment(self, invoice_id: int) -> None: self._log(f"refund {invoice_id}")
    async def generate_report(self, month: str) -> None: self._log(f"report {month}")
    async def export_csv(self, month: str) -> None: self._log(f"export {month}")
    async def rebuild_search_index(self) -> None: self._log("reindex")
    async def clear_cache(self) -> None: self._log("clear cache")
    async def rotate_logs(self) -> None: self._log("rotate logs")

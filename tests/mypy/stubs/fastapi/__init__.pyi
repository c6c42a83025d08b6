from starlette import status as status
from starlette.requests import Request as Request
from starlette.responses import Response as Response
from starlette.websockets import WebSocket as WebSocket

from .applications import FastAPI as FastAPI
from .background import BackgroundTasks as BackgroundTasks
from .datastructures import UploadFile as UploadFile
from .exceptions import HTTPException as HTTPException
from .param_functions import Depends as Depends
from .routing import APIRouter as APIRouter

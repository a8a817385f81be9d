from fastapi import APIRouter

router = APIRouter(tags=["api-sleutels"])

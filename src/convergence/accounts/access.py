def user_is_organiser(user) -> bool:
    return bool(user.is_authenticated and (user.is_organiser or user.is_superuser))

"""A readable device name from a user agent, for the lists of devices and sessions a coordinator sees."""


def apparaat_naam(user_agent: str | None) -> str:
    """A readable name for a device from its user agent: enough to tell two phones apart."""
    ua = user_agent or ""
    systeem = next((naam for sleutel, naam in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
                                               ("Windows", "Windows"), ("Mac OS", "Mac"), ("Linux", "Linux"))
                    if sleutel in ua), "Onbekend apparaat")
    browser = next((naam for sleutel, naam in (("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"),
                                               ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
                    if sleutel in ua), "")
    return f"{systeem}, {browser}" if browser else systeem

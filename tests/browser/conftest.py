import pytest


def pytest_collection_modifyitems(config, items):
    # WhiteNoise warns that STATIC_ROOT (var/static) does not exist until collectstatic runs;
    # that is not what these tests are about (reported to the settings owner).
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings("ignore:No directory at:UserWarning"))

"""The three web pages in a real browser: Debian's Chromium, headless, driven by Selenium
through chromedriver, against `shengyuan serve` under uvicorn on loopback.

The browser is not optional: these tests fail, not skip, when it is missing
(.ci/run installs chromium and chromium-driver). A screenshot of each page is
kept in tests/artefacts/.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from pathlib import Path

import docx
import httpx
import openpyxl
import pytest
from office_fixtures import roster_colleges, running_server, write_roster
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from shengyuan_xl.cli.main import main
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import Conflict
from shengyuan_xl.office.campaigns import active_campaign
from shengyuan_xl.office.tokens import issue_college_token, issue_office_token

ARTEFACTS = Path(__file__).parent / "artefacts"
COLLEGE = "资源环境与安全工程学院"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A campaign with two colleges built, a conflict waiting, tokens, and the server."""
    tmp = tmp_path_factory.mktemp("web")
    a, b = roster_colleges(size_a=20, size_b=8)
    url = f"sqlite:///{tmp / 'web.db'}"
    assert main(["init", "--db", url]) == 0
    assert (
        main(["import", str(write_roster(tmp / "r.xlsx", a.students + b.students)), "--db", url])
        == 0
    )
    assert main(["build", "--out", str(tmp / "build"), "--db", url]) == 0
    book = next(p for p in (tmp / "build").glob("*.xlsx") if p.name.startswith(COLLEGE))
    # a returned workbook asks to move a student to the other college: a conflict for the desk
    wb = openpyxl.load_workbook(book)
    ws = wb["生源信息"]
    college = [c.value for c in ws[1]].index("所在院系") + 1
    ws.cell(2, college).value = "数学与计算科学学院"
    moved = ws.cell(2, [c.value for c in ws[1]].index("姓名") + 1).value
    returned = tmp / "returned.xlsx"
    wb.save(returned)
    assert main(["merge", str(returned), "--db", url]) == 1
    with opened(url) as db, db.session() as session:
        campaign = active_campaign(session)
        college_token = issue_college_token(session, campaign, COLLEGE)
        office_token = issue_office_token(session, campaign, "张老师")
    with running_server(url) as server:
        yield {
            "base": server.base,
            "url": url,
            "book": book,
            "tmp": tmp,
            "college_token": college_token,
            "office_token": office_token,
            "a": a,
            "moved": moved,  # the student whose 所在院系 the college asked to change
        }


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def _press(browser, selector: str, within=None, confirm: str = "") -> None:  # type: ignore[no-untyped-def]
    """Click a submit button and wait until the next page has replaced this one; a button
    that asks first (``confirm``: words its question must hold) is answered yes."""
    old = browser.find_element(By.TAG_NAME, "html")
    for attempt in range(3):  # Chromium may still be settling a resize (a screenshot) or a load
        try:
            (within or browser).find_element(By.CSS_SELECTOR, selector).click()
            if confirm:
                question = WebDriverWait(browser, 10).until(EC.alert_is_present())
                assert confirm in question.text
                question.accept()
            break
        except WebDriverException:
            if attempt == 2:
                raise
            time.sleep(0.3)
    WebDriverWait(browser, 120).until(lambda _: _gone(old))


def _gone(element) -> bool:  # type: ignore[no-untyped-def]
    """The element's page has been replaced (Chromium says so in more than one way)."""
    try:
        element.is_enabled()
    except WebDriverException:  # stale, or "Node … does not belong to the document"
        return True
    return False


def _shot(browser, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1366, max(768, min(height + 40, 4000)))
    browser.save_screenshot(str(ARTEFACTS / f"web-{name}.png"))
    browser.set_window_size(1366, 768)


def _with_problems(site) -> Path:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(site["book"])
    ws = wb["生源信息"]
    headers = [c.value for c in ws[1]]
    ws.cell(3, headers.index("手机号码") + 1).value = "1380000"
    ws.cell(4, headers.index("QQ号码") + 1).value = "qq12345"
    path = site["tmp"] / "有问题的工作簿.xlsx"
    wb.save(path)
    return path


def test_the_counsellor_sees_the_problems_and_downloads_the_marked_copy(site, browser):
    browser.get(site["base"] + "/")
    _shot(browser, "counsellor")
    browser.find_element(By.ID, "workbook").send_keys(str(_with_problems(site)))
    _press(browser, "button[formaction='/check']")
    rows = browser.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
    assert len(rows) == 2
    assert "错误 2 个" in browser.find_element(By.CSS_SELECTOR, ".counts").text
    fields = [r.find_elements(By.TAG_NAME, "td")[4].text for r in rows]
    assert fields == ["手机号码", "QQ号码"]
    _shot(browser, "findings")
    browser.find_element(By.CSS_SELECTOR, "input[data-filter='error']").click()
    assert all(not r.is_displayed() for r in rows)  # filtered by severity
    link = browser.find_element(By.CSS_SELECTOR, "a.button[download]").get_attribute("href")
    marked = openpyxl.load_workbook(io.BytesIO(httpx.get(link).content))
    assert marked["问题清单"].cell(2, 5).value == "手机号码"


def test_a_libreoffice_saved_workbook_goes_through_the_same(site, browser, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(_with_problems(site))],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (saved,) = (tmp_path / "lo").glob("*.xlsx")
    saved = saved.rename(saved.with_name("LibreOffice另存.xlsx"))
    browser.get(site["base"] + "/")
    browser.find_element(By.ID, "workbook").send_keys(str(saved))
    _press(browser, "button[formaction='/check']")
    fields = [
        r.find_elements(By.TAG_NAME, "td")[4].text
        for r in browser.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
    ]
    assert fields == ["手机号码", "QQ号码"], browser.find_element(By.TAG_NAME, "main").text


def test_a_wrong_token_or_a_bad_file_gets_a_line_never_a_traceback(site, browser, tmp_path):
    browser.get(site["base"] + "/")
    browser.find_element(By.ID, "workbook").send_keys(str(site["book"]))
    browser.find_element(By.CSS_SELECTOR, "details summary").click()  # 手工填写令牌
    browser.find_element(By.ID, "token").send_keys("sy_not-a-token")
    _press(browser, "button[formaction='/submit']")
    said = browser.find_element(By.CSS_SELECTOR, "[role='alert']").text
    assert "令牌不对或已作废" in said
    old = tmp_path / "旧表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    browser.get(site["base"] + "/")
    browser.find_element(By.ID, "workbook").send_keys(str(old))
    _press(browser, "button[formaction='/check']")
    assert "另存为" in browser.find_element(By.CSS_SELECTOR, "[role='alert']").text
    assert "Traceback" not in browser.page_source


def test_the_counsellor_submits_with_the_token_kept_in_the_window(site, browser):
    browser.get(site["base"] + "/")
    browser.find_element(By.ID, "workbook").send_keys(str(site["book"]))
    browser.find_element(By.CSS_SELECTOR, "details summary").click()  # a workbook without one
    token = browser.find_element(By.ID, "token")
    token.clear()  # the window still holds the wrong token typed before
    token.send_keys(site["college_token"])
    _press(browser, "button[formaction='/submit']")
    main_text = browser.find_element(By.TAG_NAME, "main").text
    assert "已提交" in main_text, main_text
    assert site["college_token"] not in browser.page_source  # never sent back
    browser.get(site["base"] + "/")
    assert browser.find_element(By.ID, "token").get_attribute("value") == site["college_token"]


def test_the_secretary_sees_the_counts_and_downloads_the_documents(site, browser):
    browser.get(site["base"] + "/letter")
    _shot(browser, "letter")
    browser.find_element(By.ID, "workbook").send_keys(str(site["book"]))
    browser.find_element(By.ID, "filler").send_keys("李老师")
    _press(browser, "form button[type='submit']")
    counts = browser.find_element(By.CSS_SELECTOR, ".counts").text
    assert "预计毕业生 20 名" in counts
    _shot(browser, "letter-result")
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "ul.files a")]

    def text_of(prefix: str) -> str:  # 附件4 / 附件5, as the secretary downloads it
        quoted = "%E9%99%84%E4%BB%B6" + prefix  # 附件 + 4 or 5, in the link's UTF-8 escapes
        link = next(x for x in links if quoted in x and x.endswith(".docx"))
        document = docx.Document(io.BytesIO(httpx.get(link).content))
        return "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for r in t.rows for c in r.cells]
        )

    assert "2022届20名预计毕业生" in text_of("4")
    assert "李老师" in text_of("5")  # the form's 填表人


def test_the_office_resolves_a_conflict_on_its_desk(site, browser):
    browser.get(site["base"] + "/office")
    browser.find_element(By.ID, "token").clear()
    browser.find_element(By.ID, "token").send_keys(site["college_token"])
    _press(browser, "form button[type='submit']")
    assert (
        "办公台要用招生就业处个人的令牌"
        in browser.find_element(By.CSS_SELECTOR, "[role='alert']").text
    )
    browser.get(site["base"] + "/office")
    token = browser.find_element(By.ID, "token")
    token.clear()
    token.send_keys(site["office_token"])
    _press(browser, "form button[type='submit']")
    section = browser.find_element(By.CSS_SELECTOR, "section.conflict")
    assert site["moved"] in section.text and "数学与计算科学学院" in section.text
    _shot(browser, "office")
    # one click does not resolve: the desk asks first
    _press(browser, "button[value='office']", within=section, confirm="采用校库的")
    assert "已处理" in browser.find_element(By.CSS_SELECTOR, ".ok").text
    with opened(site["url"]) as db, db.session() as session:
        conflict = session.scalars(select(Conflict)).first()
        assert conflict.status == "resolved" and "张老师" in (conflict.resolved_by or "")


def test_the_workbook_built_for_the_server_is_the_key_nothing_to_type(site, browser):
    # last in this file: building for the server issues the college a new token (the old one
    # the tests above typed is revoked)
    served = site["tmp"] / "served"
    assert (
        main(
            [
                "build",
                "--college",
                COLLEGE,
                "--server",
                "https://sy.example.edu.cn",
                "--out",
                str(served),
                "--db",
                site["url"],
            ]
        )
        == 0
    )
    (book,) = served.glob("*.xlsx")
    browser.get(site["base"] + "/")
    browser.execute_script("sessionStorage.clear()")  # no token kept from before
    browser.get(site["base"] + "/")
    browser.find_element(By.ID, "workbook").send_keys(str(book))
    _press(browser, "button[formaction='/submit']")
    main_text = browser.find_element(By.TAG_NAME, "main").text
    assert "已提交" in main_text, main_text
    assert "sy_" not in browser.page_source

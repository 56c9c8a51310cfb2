"""Generated files are downloadable from any worker of the server, for a while, by their link only."""

from __future__ import annotations

import os
import time

from shengyuan_xl.server.downloads import Downloads


def test_a_file_made_by_one_worker_is_found_by_another_until_it_expires(tmp_path):
    one, other = Downloads(60, tmp_path), Downloads(60, tmp_path)  # two worker processes
    key, folder = one.new_folder()
    (folder / "附件4.docx").write_bytes(b"docx")
    assert other.find(key, "附件4.docx") == folder / "附件4.docx"
    assert other.find(key, "../附件4.docx") is None and other.find("..", "附件4.docx") is None
    other.close()  # a worker stopping leaves the others' files alone
    assert one.find(key, "附件4.docx") is not None
    old = time.time() - 3601
    os.utime(folder, (old, old))
    assert one.find(key, "附件4.docx") is None  # expired
    one.new_folder()  # the next job clears what expired
    assert not folder.exists()

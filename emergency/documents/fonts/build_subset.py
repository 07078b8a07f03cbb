"""How the vendored fonts were made (run by hand, not at install): Noto Serif SC (SIL Open Font
License 1.1, Google Fonts' TrueType build from the npm package @expo-google-fonts/noto-serif-sc
0.4.3) cut down to GB 2312's characters, CJK and full-width punctuation, Latin, the figures the
plans use (Ⅰ–Ⅳ, ①–⑩), and every character of the demo data, the plans and the catalogues.

    npm pack @expo-google-fonts/noto-serif-sc@0.4.3 && tar xzf expo-google-fonts-noto-serif-sc-0.4.3.tgz
    pip install fonttools && python build_subset.py package/400Regular/NotoSerifSC_400Regular.ttf \
        package/700Bold/NotoSerifSC_700Bold.ttf
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUT = Path(__file__).resolve().parent


def gb2312() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def charset() -> str:
    chars = gb2312() | {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x180)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
    chars |= set("ⅠⅡⅢⅣⅤⅥ①②③④⑤⑥⑦⑧⑨⑩℃·—–‘’“”…●■□△▲○√×÷±≤≥〔〕")
    for pattern in ("emergency/demo/*.yaml", "locale/*/LC_MESSAGES/django.po", "plans/data/**/*", "incidents/grading/data/*"):
        for path in ROOT.glob(pattern):
            if path.is_file():
                chars |= set(path.read_text(encoding="utf-8", errors="ignore"))
    return "".join(sorted(c for c in chars if c.isprintable() or c == " "))


if __name__ == "__main__":
    text = OUT / "charset.txt"
    text.write_text(charset(), encoding="utf-8")
    for source, name in zip(sys.argv[1:3], ("NotoSerifSC-Regular.ttf", "NotoSerifSC-Bold.ttf")):
        subprocess.run([sys.executable, "-m", "fontTools.subset", source, f"--text-file={text}",
                        f"--output-file={OUT / name}", "--layout-features=*"], check=True)
    text.unlink()

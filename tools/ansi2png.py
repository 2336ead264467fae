#!/usr/bin/python3
"""Render a tmux 'capture-pane -p -e' dump (24-bit SGR colours) as a terminal-like PNG.

Usage: ansi2png.py CAPTURE.ansi OUT.png
Half blocks and box-drawing lines are drawn as exact rectangles so cells join without gaps;
other text uses DejaVu Sans Mono.
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

CELL_W, CELL_H, PAD, BAR = 10, 20, 14, 28
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
BG = (30, 30, 30)
FG = (204, 204, 204)
BASIC = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229)]
BRIGHT = [(102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def parse(text):
    rows = []
    fg, bg, bold = None, None, False  # tmux carries attributes from one line to the next
    for line in text.split("\n"):
        cells, i = [], 0
        while i < len(line):
            m = SGR.match(line, i)
            if m:
                codes = [int(c) if c else 0 for c in m.group(1).split(";")] or [0]
                k = 0
                while k < len(codes):
                    c = codes[k]
                    if c == 0:
                        fg, bg, bold = None, None, False
                    elif c == 1:
                        bold = True
                    elif c == 22:
                        bold = False
                    elif c in (38, 48) and k + 4 < len(codes) and codes[k + 1] == 2:
                        rgb = tuple(codes[k + 2:k + 5])
                        fg, bg = (rgb, bg) if c == 38 else (fg, rgb)
                        k += 4
                    elif c in (38, 48) and k + 2 < len(codes) and codes[k + 1] == 5:
                        n = codes[k + 2]
                        rgb = (BASIC + BRIGHT)[n] if n < 16 else FG
                        fg, bg = (rgb, bg) if c == 38 else (fg, rgb)
                        k += 2
                    elif c == 39:
                        fg = None
                    elif c == 49:
                        bg = None
                    elif 30 <= c <= 37:
                        fg = BASIC[c - 30]
                    elif 90 <= c <= 97:
                        fg = BRIGHT[c - 90]
                    elif 40 <= c <= 47:
                        bg = BASIC[c - 40]
                    k += 1
                i = m.end()
                continue
            cells.append((line[i], fg, bg, bold))
            i += 1
        rows.append(cells)
    while rows and all(ch == " " for ch, *_ in rows[-1]):
        rows.pop()
    return rows


def box(draw, ch, x, y, color):
    cx, cy, t = x + CELL_W // 2, y + CELL_H // 2, 1
    up = ch in "│┤└"
    down = ch in "│┤┬"
    left = ch in "┤─┬"
    right = ch in "└─┬"
    if up:
        draw.rectangle([cx, y, cx + t - 1, cy], fill=color)
    if down:
        draw.rectangle([cx, cy, cx + t - 1, y + CELL_H - 1], fill=color)
    if left:
        draw.rectangle([x, cy, cx, cy + t - 1], fill=color)
    if right:
        draw.rectangle([cx, cy, x + CELL_W - 1, cy + t - 1], fill=color)


def main(src, dst):
    rows = parse(open(src, encoding="utf-8").read())
    cols = max(len(r) for r in rows)
    width, height = 2 * PAD + cols * CELL_W, BAR + 2 * PAD + len(rows) * CELL_H
    img = Image.new("RGB", (width, height), BG)
    draw = ImageDraw.Draw(img)
    font, bold = ImageFont.truetype(FONT, 16), ImageFont.truetype(BOLD, 16)

    # A plain window title bar.
    draw.rectangle([0, 0, width, BAR - 1], fill=(50, 50, 52))
    for n, c in enumerate([(255, 95, 86), (255, 189, 46), (39, 201, 63)]):
        draw.ellipse([12 + n * 20, 8, 24 + n * 20, 20], fill=c)
    draw.text((width // 2, BAR // 2), "pwsh", font=font, fill=(170, 170, 170), anchor="mm")

    for r, cells in enumerate(rows):
        y = BAR + PAD + r * CELL_H
        for c, (ch, fg, bg, b) in enumerate(cells):
            x = PAD + c * CELL_W
            fgc, bgc = fg or FG, bg or BG
            if ch == "▀":
                draw.rectangle([x, y, x + CELL_W - 1, y + CELL_H // 2 - 1], fill=fgc)
                draw.rectangle([x, y + CELL_H // 2, x + CELL_W - 1, y + CELL_H - 1], fill=bgc)
                continue
            if ch == "▄":
                draw.rectangle([x, y, x + CELL_W - 1, y + CELL_H // 2 - 1], fill=bgc)
                draw.rectangle([x, y + CELL_H // 2, x + CELL_W - 1, y + CELL_H - 1], fill=fgc)
                continue
            if bg:
                draw.rectangle([x, y, x + CELL_W - 1, y + CELL_H - 1], fill=bgc)
            if ch in "│┤└┬─":
                box(draw, ch, x, y, fgc)
            elif ch != " ":
                draw.text((x, y + 2), ch, font=bold if b else font, fill=fgc)
    img.save(dst, optimize=True)
    print(f"{dst}: {width}x{height}, {len(rows)} rows, {cols} columns")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/env python3
"""Builds the CJK font the browser console embeds (run by CMake at build time; see cjk_font.cmake).

The page cannot read the system's fonts, so the wasm carries a subset of Droid Sans Fallback with
the characters the console is likely to show:
  * ImGui's GetGlyphRangesChineseSimplifiedCommon(): 2,500 common Simplified characters plus CJK
    punctuation, kana and full-width forms (parsed from imgui_draw.cpp, so it stays ImGui's list);
  * the Traditional forms of those characters (Unihan kTraditionalVariant) and the characters Hong
    Kong primary schools teach (Unihan kGradeLevel), when the Unihan files (Debian: unicode-data)
    are present: common Traditional text such as "找幫手" is covered, not only Simplified;
  * every CJK character in the given source folders (the endpoint tables, mock fixtures and seed
    examples: what the mock itself answers).
The subset is made by pyftsubset (fontTools.subset, the same code and options as the command line)
and written as a C++ byte array with the exact glyph ranges ImGui should rasterise: the subset's
own cmap, so the atlas holds no empty or missing character.

Output: one .cpp defining restbox::console::EmbeddedCjkFont() (declared in src/cjk_font.hpp).
Nothing produced here is committed: it lives in the build tree.
"""

import argparse
import bz2
import io
import os
import re
import sys
import tempfile
import zipfile

from fontTools import subset
from fontTools.ttLib import TTFont

# Code points treated as CJK text when scanning sources: general punctuation (— …), CJK radicals
# to the end of the unified ideographs (includes CJK punctuation 。，and kana), compatibility
# ideographs, CJK compatibility forms and the full-width forms (，：).
CJK_BLOCKS = ((0x2000, 0x206F), (0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))
# ProggyClean, the font the CJK glyphs merge into, already has these: never subset them.
FIRST_MERGED = 0x0100
SOURCE_SUFFIXES = ('.cpp', '.hpp', '.h', '.json')  # as cjk_font.cmake's dependency globs


def is_cjk(code):
    return any(lo <= code <= hi for lo, hi in CJK_BLOCKS)


def imgui_simplified_common(imgui_draw_cpp):
    """The code points of ImFontAtlas::GetGlyphRangesChineseSimplifiedCommon(), from its source."""
    with open(imgui_draw_cpp, encoding='utf-8') as f:
        text = f.read()
    start = text.find('ImFontAtlas::GetGlyphRangesChineseSimplifiedCommon()')
    end = text.find('ImFontAtlas::GetGlyphRanges', start + 1)
    if start < 0 or end < 0:
        sys.exit(f'make_cjk_font: GetGlyphRangesChineseSimplifiedCommon() not found in {imgui_draw_cpp}')
    body = text[start:end]
    offsets = re.search(r'accumulative_offsets_from_0x4E00\[\]\s*=\s*\{(.*?)\};', body, re.S)
    base = re.search(r'base_ranges\[\]\s*=.*?\{(.*?)\};', body, re.S)
    if not offsets or not base:
        sys.exit(f'make_cjk_font: cannot parse the Simplified Chinese tables of {imgui_draw_cpp}')
    codes = set()
    code = 0x4E00
    for step in re.findall(r'\d+', offsets.group(1)):
        code += int(step)
        codes.add(code)
    # Strip the "// Basic Latin" comments before reading the hex pairs.
    pairs = [int(v, 16) for v in re.findall(r'0x[0-9A-Fa-f]+', re.sub(r'//[^\n]*', '', base.group(1)))]
    for lo, hi in zip(pairs[0::2], pairs[1::2]):
        codes.update(range(lo, hi + 1))
    return codes


def read_unihan(unihan_dir, name):
    """The lines of Unihan_<name>.txt from the folder (plain, .bz2 as Debian ships, or Unihan.zip)."""
    plain = os.path.join(unihan_dir, f'Unihan_{name}.txt')
    if os.path.exists(plain):
        with open(plain, encoding='utf-8') as f:
            return f.read().splitlines()
    if os.path.exists(plain + '.bz2'):
        with bz2.open(plain + '.bz2', 'rt', encoding='utf-8') as f:
            return f.read().splitlines()
    archive = os.path.join(unihan_dir, 'Unihan.zip')
    if os.path.exists(archive):
        with zipfile.ZipFile(archive) as z:
            with z.open(f'Unihan_{name}.txt') as f:
                return io.TextIOWrapper(f, encoding='utf-8').read().splitlines()
    return None


def unihan_field(lines, field):
    """{code point: value} of one Unihan field."""
    out = {}
    for line in lines:
        if line.startswith('#') or not line.strip():
            continue
        parts = line.split('\t')
        if len(parts) == 3 and parts[1] == field:
            out[int(parts[0][2:], 16)] = parts[2]
    return out


def traditional_common(unihan_dir, simplified):
    """Traditional forms of `simplified` plus the Hong Kong school characters; empty without Unihan."""
    variants = read_unihan(unihan_dir, 'Variants') if unihan_dir else None
    dictionary = read_unihan(unihan_dir, 'DictionaryLikeData') if unihan_dir else None
    if variants is None or dictionary is None:
        return set(), False
    out = set()
    for code, value in unihan_field(variants, 'kTraditionalVariant').items():
        if code in simplified:
            out.update(int(v[2:], 16) for v in value.split())
    out.update(unihan_field(dictionary, 'kGradeLevel'))
    return out, True


def source_characters(folders):
    out = set()
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                with open(os.path.join(root, name), encoding='utf-8', errors='ignore') as f:
                    out.update(ord(c) for c in f.read() if ord(c) >= FIRST_MERGED and is_cjk(ord(c)))
    return out


def to_ranges(codes):
    ranges = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] + 1 == code:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ranges


def write_cpp(path, font_bytes, ranges, characters, summary):
    lines = [
        '// Generated by sandbox-ui/fonts/make_cjk_font.py at build time: do not edit, never commit.',
        f'// {summary}',
        '#include <cstddef>',
        '',
        '#include "cjk_font.hpp"',
        '',
        'namespace restbox::console {',
        'namespace {',
        f'alignas(4) const unsigned char kFontData[{len(font_bytes)}] = {{',
    ]
    for i in range(0, len(font_bytes), 24):
        lines.append(','.join(str(b) for b in font_bytes[i:i + 24]) + ',')
    lines.append('};')
    lines.append('// Zero-terminated [first, last] pairs: exactly the characters of kFontData\'s cmap.')
    lines.append('const ImWchar kRanges[] = {')
    for i in range(0, len(ranges), 8):
        lines.append(' '.join(f'0x{lo:04X}, 0x{hi:04X},' for lo, hi in ranges[i:i + 8]))
    lines.append('0};')
    lines.append('}  // namespace')
    lines.append('')
    lines.append('EmbeddedFont EmbeddedCjkFont() {')
    lines.append(f'  return {{kFontData, sizeof(kFontData), kRanges, {characters}}};')
    lines.append('}')
    lines.append('')
    lines.append('}  // namespace restbox::console')
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    os.replace(tmp, path)  # never leave a half-written file for the compiler


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--font', required=True, help='the TrueType font to subset')
    parser.add_argument('--imgui-draw', required=True, help="ImGui's imgui_draw.cpp (its Chinese tables)")
    parser.add_argument('--unihan-dir', default='', help='folder of the Unihan files (optional)')
    parser.add_argument('--scan', action='append', default=[], help='a source folder to take CJK text from')
    parser.add_argument('--output', required=True, help='the .cpp to write')
    args = parser.parse_args()

    simplified = imgui_simplified_common(args.imgui_draw)
    traditional, have_unihan = traditional_common(args.unihan_dir, simplified)
    from_sources = source_characters(args.scan)
    wanted = {c for c in simplified | traditional | from_sources if c >= FIRST_MERGED}

    with tempfile.TemporaryDirectory() as tmp:
        codes_file = os.path.join(tmp, 'unicodes.txt')
        subset_file = os.path.join(tmp, 'subset.ttf')
        with open(codes_file, 'w', encoding='ascii') as f:
            f.write('\n'.join(f'U+{c:04X}' for c in sorted(wanted)))
        # pyftsubset's options: glyph outlines only (ImGui's stb_truetype reads cmap/glyf/hmtx and
        # ignores hinting, layout tables and names), which is what keeps the download small.
        subset.main([args.font, f'--unicodes-file={codes_file}', f'--output-file={subset_file}',
                     '--no-hinting', '--desubroutinize', '--layout-features=', '--name-IDs=',
                     '--notdef-outline', '--drop-tables+=GSUB,GPOS,GDEF,BASE,JSTF,DSIG'])
        with open(subset_file, 'rb') as f:
            font_bytes = f.read()
        present = set(TTFont(subset_file)['cmap'].getBestCmap())

    present &= wanted
    ranges = to_ranges(present)
    unihan = f'{len(traditional - simplified)} more from Unihan' if have_unihan else 'no Unihan files'
    summary = (f'{len(present)} characters (ImGui\'s Simplified Chinese common set; {unihan}; '
               f'{len(from_sources - simplified - traditional)} more from the sources; '
               f'{len(wanted - present)} not in the font), {len(font_bytes)} bytes of TrueType')
    write_cpp(args.output, font_bytes, ranges, len(present), summary)
    print(f'make_cjk_font: {summary}')


if __name__ == '__main__':
    main()

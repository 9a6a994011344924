-- fabula: language-aware typography for every pandoc output (EPUB, Typst, DOCX).
-- pandoc's "smart" extension gives curly quotes and dashes, but the same “English” quotes
-- in every language. For French (lang "fr", "fr-CA", ...) this filter sets guillemets with
-- a narrow no-break space inside, and a no-break space before ; : ! ? as French printers do.
-- For the languages in QUOTES it sets their own quotation marks (outer pair, inner pair),
-- as their style guides (Duden, RAE, Accademia della Crusca, ...) and Unicode CLDR give them.

local NNBSP = "\u{202F}" -- narrow no-break space: before ; ! ? and inside « »
local NBSP = "\u{00A0}" -- no-break space: before a colon

local french = false
local marks = nil -- { open, close, inner open, inner close } for the book's language

-- Keep in step with QUOTED_LANGUAGES in toolkit/render/pandoc.py.
local QUOTES = {
  de = { "„", "“", "‚", "‘" },
  ["de-ch"] = { "«", "»", "‹", "›" },
  ["de-li"] = { "«", "»", "‹", "›" },
  cs = { "„", "“", "‚", "‘" },
  da = { "»", "«", "›", "‹" },
  es = { "«", "»", "“", "”" },
  fi = { "”", "”", "’", "’" },
  it = { "«", "»", "“", "”" },
  nb = { "«", "»", "‘", "’" },
  no = { "«", "»", "‘", "’" },
  pl = { "„", "”", "«", "»" },
  ru = { "«", "»", "„", "“" },
  sv = { "”", "”", "’", "’" },
  uk = { "«", "»", "„", "“" },
}

local function starts_high_punctuation(text)
  local first = text:sub(1, 1)
  if first == ";" or first == "!" or first == "?" then
    return NNBSP
  elseif first == ":" then
    return NBSP
  elseif text:sub(1, 2) == "»" then
    return NNBSP
  end
  return nil
end

local function ends_with_space(text)
  return text:sub(-3) == NNBSP or text:sub(-2) == NBSP
end

local function starts_with_space(text)
  return text:sub(1, 3) == NNBSP or text:sub(1, 2) == NBSP
end

local function ends_with_open_guillemet(text)
  return text:sub(-2) == "«"
end

local function Meta(meta)
  local lang = meta.lang and pandoc.utils.stringify(meta.lang) or ""
  french = lang == "fr" or lang:sub(1, 3) == "fr-"
  local lower = lang:lower()
  marks = QUOTES[lower] or QUOTES[lower:match("^(%a+)") or ""]
end

local function Quoted(quoted)
  if marks then
    local outer = quoted.quotetype == "DoubleQuote"
    local result = pandoc.List({ pandoc.Str(outer and marks[1] or marks[3]) })
    result:extend(quoted.content)
    result:insert(pandoc.Str(outer and marks[2] or marks[4]))
    return result
  end
  if not french then
    return nil
  end
  if quoted.quotetype == "DoubleQuote" then
    local result = pandoc.List({ pandoc.Str("«" .. NNBSP) })
    result:extend(quoted.content)
    result:insert(pandoc.Str(NNBSP .. "»"))
    return result
  end
  local result = pandoc.List({ pandoc.Str("“") })
  result:extend(quoted.content)
  result:insert(pandoc.Str("”"))
  return result
end

-- A typed space next to high punctuation or a guillemet must not break the line there.
local function Inlines(inlines)
  if not french then
    return nil
  end
  for i = #inlines, 1, -1 do
    local item = inlines[i]
    if item.t == "Space" or item.t == "SoftBreak" then
      local after = inlines[i + 1]
      local before = inlines[i - 1]
      local space = after and after.t == "Str" and starts_high_punctuation(after.text)
      if not space and before and before.t == "Str" and ends_with_open_guillemet(before.text) then
        space = NNBSP
      end
      if space then
        inlines[i] = pandoc.Str(space)
      end
    elseif item.t == "Str" then
      -- "mot!" typed without a space gets one; "«mot" and "mot»" likewise.
      local text = item.text
      local word, marks = text:match("^(.-)([;!?]+)$")
      if word and word ~= "" and not ends_with_space(word) then
        text = word .. NNBSP .. marks
      end
      if text:sub(1, 2) == "«" and #text > 2 and not starts_with_space(text:sub(3)) then
        text = "«" .. NNBSP .. text:sub(3)
      end
      local head = text:match("^(.-)»")
      if head and head ~= "" and not ends_with_space(head) then
        text = head .. NNBSP .. text:sub(#head + 1)
      end
      item.text = text
    end
  end
  return inlines
end

return {
  { Meta = Meta },
  { Quoted = Quoted },
  { Inlines = Inlines },
}

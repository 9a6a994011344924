-- fabula: what every book output (EPUB, Typst for the PDF, DOCX) needs from pandoc's AST.
--
-- Dashes. pandoc's "smart" reads "--" as an en dash and "---" as an em dash (TeX's habit), but a
-- writer who types "--" means an em dash, or a spaced en dash in British house style. Before
-- pandoc, fabula writes every en dash the writer typed as U+FDD0 (a Unicode noncharacter,
-- reserved for a program's internal use; fabula types it back in pandoc's output), so an en
-- dash in the AST here came from "--", and this filter sets it as fabula-dash asks:
--   em         "the door--which" -> "the door—which" (spaces around a typed "--" closed up)
--   spaced-en  "the door--which" -> "the door – which" (a no-break space before the dash)
--   typed      "--" stays "--" (the Courier manuscript): nothing to do here, fabula writes the
--              en dashes of pandoc's DOCX back as "--" (every one came from "--")
-- Between two digits ("pages 10--20") "--" stays an en dash, as TeX users mean it. Only the
-- blocks fabula wrapped in a Div of class "fabula-dashes" (their prose has a "--") and the
-- headings are visited: a pass over every word of a long book costs seconds.
--
-- Chapters. A level-1 heading without the class "front" is a chapter: in the EPUB its section
-- is marked epub:type="chapter" and role="doc-chapter". With fabula-caps-headings, a chapter
-- title typed in capitals is set in small capitals (Typst: smallcaps(all: true); HTML: a span
-- the stylesheet sets with font-variant-caps: all-small-caps).
--
-- Datelines. fabula writes a chapter's own dated heading, when front matter names the chapter,
-- as a level-2 heading in a Div of class "fabula-dateline". For Typst it goes into the chapter
-- heading as #dateline-mark[...] (the template sets it under the title); for HTML it becomes
-- a paragraph of class "dateline"; for DOCX a paragraph in the "Dateline" style.

local EN = "\u{2013}"
local EM = "\u{2014}"
local NBSP = "\u{00A0}"

local dash = "em"
local caps_headings = false

local function Meta(meta)
  if meta["fabula-dash"] then
    dash = pandoc.utils.stringify(meta["fabula-dash"])
  end
  caps_headings = meta["fabula-caps-headings"] ~= nil and pandoc.utils.stringify(meta["fabula-caps-headings"]) == "true"
  -- Settings for this filter, not the document's metadata (DOCX would keep them as properties).
  meta["fabula-dash"] = nil
  meta["fabula-caps-headings"] = nil
  return meta
end

-- ---------------------------------------------------------------- dashes

local DASH = {} -- stands for a "--" while a list of inlines is rebuilt

local function is_digit(char)
  return char ~= nil and char:match("^%d$") ~= nil
end

-- The pieces of a Str around each "--": strings, and DASH for a dash to set.
local function split(text)
  local pieces = {}
  local start = 1
  local position = text:find(EN, 1, true)
  local kept = ""
  while position do
    local before, after = text:sub(position - 1, position - 1), text:sub(position + #EN, position + #EN)
    if is_digit(before) and is_digit(after) then
      kept = kept .. text:sub(start, position + #EN - 1)
    else
      table.insert(pieces, kept .. text:sub(start, position - 1))
      table.insert(pieces, DASH)
      kept = ""
    end
    start = position + #EN
    position = text:find(EN, start, true)
  end
  table.insert(pieces, kept .. text:sub(start))
  return pieces
end

local function is_space(item)
  return item ~= nil and item ~= DASH and (item.t == "Space" or item.t == "SoftBreak")
end

-- No space after a spaced dash that closes a phrase ("I --," or at the end of a quotation).
local function opens_word(item)
  if item == nil or item == DASH then
    return false
  end
  if item.t == "Str" then
    return not item.text:sub(1, 1):match("^[%.,;:!%?%)%]]$")
  end
  return item.t ~= "Note"
end

local function dashes(inlines)
  local found = false
  local flat = {}
  for _, item in ipairs(inlines) do
    if item.t == "Str" and item.text:find(EN, 1, true) then
      for _, piece in ipairs(split(item.text)) do
        if piece == DASH then
          found = true
          table.insert(flat, DASH)
        elseif piece ~= "" then
          table.insert(flat, pandoc.Str(piece))
        end
      end
    else
      table.insert(flat, item)
    end
  end
  if not found then
    return nil
  end
  local result = pandoc.List()
  local index = 1
  while index <= #flat do
    local item = flat[index]
    if item == DASH then
      while is_space(result[#result]) do
        result:remove(#result)
      end
      index = index + 1
      while is_space(flat[index]) do
        index = index + 1
      end
      if dash == "spaced-en" then
        result:insert(pandoc.Str((#result > 0 and NBSP or "") .. EN))
        if opens_word(flat[index]) then
          result:insert(pandoc.Space())
        end
      else
        result:insert(pandoc.Str(EM))
      end
    else
      result:insert(item)
      index = index + 1
    end
  end
  return result
end

-- ---------------------------------------------------------------- chapters and datelines

local function is_chapter(block)
  return block.t == "Header" and block.level == 1 and not block.classes:includes("front")
end

local function in_capitals(inlines)
  local text = pandoc.utils.stringify(inlines)
  local letters = select(2, text:gsub("[%a\128-\255]", ""))
  return letters >= 2 and pandoc.text.upper(text) == text and pandoc.text.lower(text) ~= text
end

local function small_capitals(inlines)
  if FORMAT == "typst" then
    local set = pandoc.List({ pandoc.RawInline("typst", "#text(tracking: 0.06em)[#smallcaps(all: true)[") })
    set:extend(inlines)
    set:insert(pandoc.RawInline("typst", "]]"))
    return set
  elseif FORMAT:match("html") or FORMAT:match("epub") then
    return pandoc.List({ pandoc.Span(inlines, pandoc.Attr("", { "allcaps" })) })
  end
  return inlines
end

local with_dashes = { Inlines = dashes }

-- The block with its dashes set (a walk that costs seconds over a long book: only where needed).
local function dashed(block)
  if dash == "typed" then
    return block
  end
  return block:walk(with_dashes)
end

local function is_dateline(block)
  return block ~= nil
    and block.t == "Div"
    and block.classes:includes("fabula-dateline")
    and block.content[1] ~= nil
    and block.content[1].t == "Header"
end

local function dateline_block(inlines)
  if FORMAT == "docx" then
    return pandoc.Div({ pandoc.Para(inlines) }, pandoc.Attr("", {}, { ["custom-style"] = "Dateline" }))
  end
  return pandoc.Div({ pandoc.Para(inlines) }, pandoc.Attr("", { "dateline" }))
end

-- The document's own blocks only: a heading inside a quotation or a list is not a chapter.
local function chapters(blocks)
  local result = pandoc.List()
  local index = 1
  while index <= #blocks do
    local block = blocks[index]
    if block.t == "Header" then
      block = dashed(block)
    elseif is_dateline(block) then
      block.content[1] = dashed(block.content[1])
    end
    if block.t == "Div" and block.classes:includes("fabula-dashes") then
      for _, inner in ipairs(block.content) do
        result:insert(dashed(inner))
      end
    elseif is_chapter(block) then
      if caps_headings and in_capitals(block.content) then
        block.content = small_capitals(block.content)
      end
      if FORMAT:match("epub") then
        block.attributes["epub:type"] = "chapter"
        block.attributes["role"] = "doc-chapter"
      end
      local following = blocks[index + 1]
      if FORMAT == "typst" and is_dateline(following) then
        following.content[1] = dashed(following.content[1])
        block.content:insert(pandoc.RawInline("typst", "#dateline-mark["))
        block.content:extend(following.content[1].content)
        block.content:insert(pandoc.RawInline("typst", "]"))
        index = index + 1
      end
      result:insert(block)
    elseif is_dateline(block) then
      result:insert(dateline_block(block.content[1].content))
    else
      result:insert(block)
    end
    index = index + 1
  end
  return result
end

return {
  { Meta = Meta },
  {
    Pandoc = function(doc)
      doc.blocks = chapters(doc.blocks)
      return doc
    end,
  },
}

-- fabula: every chapter of a book converted as a document of its own, all in one pandoc process.
--
-- Run as `pandoc lua chapters.lua < request.json` by toolkit/render/chapters.py. The request
-- names pandoc's reader, the formats (each with its writer, Lua filters, metadata and writer
-- options, and the file listing the images the guard filter lets pandoc read) and the chapters'
-- Markdown. Each chapter is read once, then for each format its
-- filters are applied to a copy, which is written, as
-- `pandoc --from READER --to WRITER --lua-filter ... chapter.md` would write it. Nothing a
-- chapter becomes depends on the other chapters, so a chapter converted alone (an incremental
-- build) and among all the others (a clean build) is the same text, byte for byte.
--
-- The answer (JSON on standard output) gives, for each chapter and format: for "epub3" the
-- content of each of the chapter's files and the media pandoc copied; for any other writer the
-- text written.

local request = pandoc.json.decode(io.read("a"), false)

-- A filter file as pandoc's --lua-filter loads it: what the file returns (a filter or a list of
-- filters), else the element functions it defines as globals. FORMAT is the writer's name; the
-- format's list of images is what FABULA_IMAGES names for it (guard.lua reads it when loaded).
local function load_filters(path, format, images)
  local getenv = function(name)
    if name == "FABULA_IMAGES" then
      return images
    end
    return os.getenv(name)
  end
  local env = setmetatable({ FORMAT = format, os = setmetatable({ getenv = getenv }, { __index = os }) }, { __index = _G })
  local chunk = assert(loadfile(path, "t", env))
  local returned = chunk()
  if type(returned) == "table" then
    return returned[1] ~= nil and returned or { returned }
  end
  local filter = {}
  for name, value in pairs(env) do
    if type(value) == "function" and name:match("^%u") then
      filter[name] = value
    end
  end
  return { filter }
end

local function epub_part(written)
  local archive = pandoc.zip.Archive(written)
  local files, media = {}, {}
  for _, item in ipairs(archive.entries) do
    if item.path:match("^EPUB/text/ch%d+%.xhtml$") then
      table.insert(files, { item.path, item:contents() })
    elseif item.path:sub(1, 11) == "EPUB/media/" then
      table.insert(media, { item.path:sub(6), pandoc.utils.sha1(item:contents()) })
    end
  end
  table.sort(files, function(a, b)
    return a[1] < b[1]
  end)
  local texts = {}
  for _, file in ipairs(files) do
    table.insert(texts, file[2])
  end
  return { files = texts, media = media }
end

-- A chapter as pandoc's DOCX writer writes it alone: the parts render/docx_parts.py splices
-- into the manuscript (the body, notes, lists and relationships), the media by SHA-1, and the
-- styles pandoc added for custom styles (what its styles.xml has beyond an empty document's).
local empty_styles = {}
local function empty_styles_of(format, meta)
  local name = format.spec.name
  if empty_styles[name] == nil then
    local empty = pandoc.Pandoc({}, meta)
    local blank = pandoc.zip.Archive(pandoc.write(empty, format.spec.writer, format.spec.options))
    for _, item in ipairs(blank.entries) do
      if item.path == "word/styles.xml" then
        empty_styles[name] = item:contents()
      end
    end
  end
  return empty_styles[name]
end

-- The headings' identifiers as read (the reader makes them unique in the whole book), and
-- those of the headings written (each a section's bookmark).
local function heading_ids(read, doc)
  local headings, bookmarked = {}, {}
  read:walk({ Header = function(header) table.insert(headings, header.identifier) end })
  doc:walk({ Header = function(header)
    if header.identifier ~= "" then
      table.insert(bookmarked, header.identifier)
    end
  end })
  return headings, bookmarked
end

local DOCX_PARTS = {
  ["word/document.xml"] = "document",
  ["word/footnotes.xml"] = "footnotes",
  ["word/numbering.xml"] = "numbering",
  ["word/_rels/document.xml.rels"] = "rels",
  ["[Content_Types].xml"] = "types",
  ["word/styles.xml"] = "styles",
  ["word/comments.xml"] = "comments",
}

local function docx_part(written, read, doc, format)
  local archive = pandoc.zip.Archive(written)
  local part, media = {}, {}
  local order = {}
  for _, item in ipairs(archive.entries) do
    table.insert(order, item.path)
    if DOCX_PARTS[item.path] then
      part[DOCX_PARTS[item.path]] = item:contents()
    elseif item.path:sub(1, 11) == "word/media/" then
      table.insert(media, { item.path:sub(6), pandoc.utils.sha1(item:contents()) })
    end
  end
  if part.styles == empty_styles_of(format, doc.meta) then
    part.styles = ""
  end
  part.media = media
  part.order = order
  local headings, bookmarked = heading_ids(read, doc)
  part.headings = headings
  part.bookmarked = bookmarked
  return part
end

-- A filter table may list, as `fabula_when`, the only words (strings) a chapter's Markdown
-- must hold for the filter to change anything (filters/manuscript.lua's cover filter): it is
-- not run over a chapter without any of them, which saves a walk over every inline (about
-- 25 ms a chapter). The list is taken out of the table: pandoc walks functions only.
local function when_of(filter)
  local when = filter.fabula_when
  filter.fabula_when = nil
  return when
end

local function wanted(when, markdown)
  if when == nil then
    return true
  end
  for _, word in ipairs(when) do
    if markdown:find(word, 1, true) then
      return true
    end
  end
  return false
end

local formats = {}
for _, format in ipairs(request.formats) do
  local filters = {}
  for _, path in ipairs(format.filters) do
    for _, filter in ipairs(load_filters(path, format.writer, format.images)) do
      table.insert(filters, { walk = filter, when = when_of(filter) })
    end
  end
  table.insert(formats, { spec = format, filters = filters })
end

-- pandoc's abbreviations, as its command line reads them from its data file ("Dr. Hawkins" and
-- "aet. twenty" take a no-break space): pandoc.read alone knows only a few.
local abbreviations = {}
for _, abbreviation in ipairs(request.abbreviations) do
  abbreviations[abbreviation] = true
end

-- pandoc's EPUB writer writes a chapter that is one level-1 section (split_level 1) as its
-- HTML writer writes that section with section divs and no wrapping, at about five times the
-- CPU (it chunks the document and zips a whole EPUB for each chapter). It writes something
-- else only for what an EPUB handles itself: notes (as asides), images and raw HTML (media
-- copied in), links to an identifier (to the file that has it), a text before the chapter's
-- heading or a second level-1 heading (files of their own), and attributes the chapter heading
-- has besides the two book.lua gives it (written in another order). Such a chapter goes through
-- the EPUB writer; any other through the HTML writer, for the same bytes (tests compare both
-- writers on every construct: tests/render/test_chapters.py). Notes, images, links and raw
-- HTML cannot be read from Markdown without a "[" or a "<" (the book's filters add none), so
-- the Markdown is searched for those rather than walking every inline (~45 ms a chapter).
local HTML_BODY = { section_divs = true, wrap_text = "none" }

local function as_html(format)
  local count = 0
  for key, value in pairs(format.options) do
    count = count + 1
    if key ~= "split_level" or value ~= 1 then
      return false
    end
  end
  return format.writer == "epub3" and count == 1
end

local function epub_as_html(doc, markdown)
  if markdown:find("[", 1, true) or markdown:find("<", 1, true) then
    return false
  end
  local first = doc.blocks[1]
  if first == nil or first.t ~= "Header" or first.level ~= 1 then
    return false
  end
  local keys = {}
  for _, pair in ipairs(first.attributes) do
    table.insert(keys, pair[1])
  end
  local listed = table.concat(keys, " ")
  if listed ~= "" and listed ~= "epub:type role" then
    return false
  end
  local chapters = 0
  doc:walk({
    Header = function(header)
      if header.level == 1 then
        chapters = chapters + 1
      end
    end,
  })
  return chapters == 1
end

-- A chapter's copy of what was read with one format's metadata and filters; and whether a
-- filter that asked for certain words (``fabula_when``) ran over it.
local function filtered(format, read, markdown)
  local doc = read:clone()
  for key, value in pairs(format.spec.meta) do
    doc.meta[key] = value
  end
  local plain = true
  for _, filter in ipairs(format.filters) do
    if wanted(filter.when, markdown) then
      doc = doc:walk(filter.walk)
      plain = plain and filter.when == nil
    end
  end
  return doc, plain
end

-- One format's text of a chapter, written from its filtered copy.
local function written_part(format, read, doc, markdown)
  if as_html(format.spec) and epub_as_html(doc, markdown) then
    return { files = { pandoc.write(doc, "html5", HTML_BODY) }, media = {}, written_by = "html5" }
  end
  local written = pandoc.write(doc, format.spec.writer, format.spec.options)
  if format.spec.writer == "epub3" then
    return epub_part(written)
  elseif format.spec.writer == "docx" then
    return docx_part(written, read, doc, format)
  end
  return written
end

local function converted(format, read, markdown)
  return written_part(format, read, (filtered(format, read, markdown)), markdown)
end

-- pandoc's DOCX writer costs ~32 ms of CPU a document however short (it reads its reference
-- DOCX), about 1 s over a 30-chapter book. Chapters of plain prose are written together, up
-- to DOCX_BATCH in one document, and each chapter's parts are cut out of it: its body is the
-- text between the bookmark of its heading and the next chapter's, with the bookmarks'
-- numbers (the writer's one counter) taken back to where they start in a chapter alone; its
-- styles are the document's without the custom styles only other chapters use. That is the
-- same text as the chapter written alone (tests/render/test_chapters.py compares them) when
-- nothing else in it counts or is shared between chapters: no notes, links, images or raw
-- HTML (no "[" or "<" in the Markdown), no lists or tables (numbered on their own), no
-- identifier on a div, no raw block, one level-1 heading first, and no filter that asked for
-- certain words (the manuscript's cover). What cannot be cut exactly is written alone.
local DOCX_BATCH = 8

local function docx_batchable(doc, markdown, plain)
  if not plain or markdown:find("[", 1, true) or markdown:find("<", 1, true) then
    return false
  end
  local first = doc.blocks[1]
  if first == nil or first.t ~= "Header" or first.level ~= 1 or first.identifier == "" then
    return false
  end
  local ok, chapters = true, 0
  local function refuse()
    ok = false
  end
  doc:walk({
    Header = function(header)
      if header.level == 1 then
        chapters = chapters + 1
      end
    end,
    Div = function(div)
      if div.identifier ~= "" then
        ok = false
      end
    end,
    BulletList = refuse,
    OrderedList = refuse,
    DefinitionList = refuse,
    Table = refuse,
    Figure = refuse,
    RawBlock = refuse,
  })
  return ok and chapters == 1
end

local function last_find(text, pattern, from)
  local found = nil
  local at = text:find(pattern, from, true)
  while at do
    found = at
    at = text:find(pattern, at + 1, true)
  end
  return found
end

-- Each style element of a styles.xml, in order, with its identifier.
local function style_elements(styles)
  local elements = {}
  for element in styles:gmatch("<w:style .-</w:style>") do
    table.insert(elements, { text = element, id = element:match('w:styleId="([^"]*)"') })
  end
  return elements
end

-- The parts of each chapter of ``batch`` (each {doc, headings, bookmarked}) written in one
-- document, as docx_part gives them for the chapter written alone; nil when they cannot be
-- cut out exactly.
local function docx_batch_parts(format, batch)
  local meta = batch[1].doc.meta
  local shown = pandoc.write(pandoc.Pandoc({}, meta), "native")
  local blocks = pandoc.Blocks({})
  for _, item in ipairs(batch) do
    if pandoc.write(pandoc.Pandoc({}, item.doc.meta), "native") ~= shown then
      return nil
    end
    blocks:extend(item.doc.blocks)
  end
  local archive = pandoc.zip.Archive(pandoc.write(pandoc.Pandoc(blocks, meta), format.spec.writer, format.spec.options))
  local whole, order = {}, {}
  for _, item in ipairs(archive.entries) do
    table.insert(order, item.path)
    if DOCX_PARTS[item.path] then
      whole[DOCX_PARTS[item.path]] = item:contents()
    elseif item.path:sub(1, 11) == "word/media/" then
      return nil
    end
  end
  local document = whole.document or ""
  local opening = document:find("<w:body>\n", 1, true)
  local closing = opening and last_find(document, "\n    <w:sectPr>", opening)
  if not closing then
    return nil
  end
  local head, body, tail = document:sub(1, opening + 8), document:sub(opening + 9, closing), document:sub(closing + 1)
  -- The writer's counter starts after the reference DOCX's relationships (as docx_parts.py reads it).
  local first = 0
  for number in (whole.rels or ""):gmatch('Id="rId(%d+)"') do
    first = math.max(first, tonumber(number))
  end
  first = first + 1
  -- Where each chapter starts: the bookmark of its heading, numbered within its own range.
  local starts, lows, from, offset = {}, {}, 1, 0
  for index, item in ipairs(batch) do
    local count = #item.bookmarked
    local found = nil
    for number = first + offset, first + offset + count - 1 do
      local line = '    <w:bookmarkStart w:id="' .. number .. '" w:name="' .. item.bookmarked[1] .. '" />\n'
      local at = body:find(line, from, true)
      if at and (found == nil or at < found) then
        found = at
      end
    end
    if found == nil or (index == 1 and found ~= 1) then
      return nil
    end
    starts[index], lows[index] = found, first + offset
    from, offset = found + 1, offset + count
  end
  local empty = empty_styles_of(format, meta)
  local added = {}
  if whole.styles ~= empty then
    local known = {}
    for _, element in ipairs(style_elements(empty)) do
      known[element.text] = true
    end
    local base = whole.styles or ""
    for _, element in ipairs(style_elements(base)) do
      if not known[element.text] then
        table.insert(added, element)
        local at = base:find(element.text, 1, true)
        base = base:sub(1, at - 1) .. base:sub(at + #element.text)
      end
    end
    if base ~= empty then -- the document's styles differ from an empty one's otherwise than by styles added
      return nil
    end
  end
  local parts = {}
  for index, item in ipairs(batch) do
    local slice = body:sub(starts[index], (starts[index + 1] or #body + 1) - 1)
    for _, mark in ipairs({ 'r:id="', 'r:embed="', "<w:footnoteReference", "<w:numId ", "<w:comment", "<w:ins ", "<w:del " }) do
      if slice:find(mark, 1, true) then
        return nil
      end
    end
    local low, count, seen = lows[index], #item.bookmarked, 0
    local fits = true
    local renumbered = slice:gsub('w:id="(%d+)"', function(number)
      number = tonumber(number)
      seen = seen + 1
      if number < low or number >= low + count then
        fits = false
      end
      return 'w:id="' .. (number - low + first) .. '"'
    end)
    if not fits or seen ~= 2 * count then
      return nil
    end
    local styles = ""
    local unused = {}
    for _, element in ipairs(added) do
      local id = element.id or ""
      if slice:find('<w:pStyle w:val="' .. id .. '" />', 1, true) or slice:find('<w:rStyle w:val="' .. id .. '" />', 1, true) then
        styles = nil
      else
        table.insert(unused, element.text)
      end
    end
    if styles == nil then
      styles = whole.styles
      for _, text in ipairs(unused) do
        local at = styles:find(text, 1, true)
        styles = styles:sub(1, at - 1) .. styles:sub(at + #text)
      end
    end
    parts[index] = {
      document = head .. renumbered .. tail,
      footnotes = whole.footnotes,
      numbering = whole.numbering,
      rels = whole.rels,
      types = whole.types,
      styles = styles,
      comments = whole.comments,
      media = {},
      order = order,
      headings = item.headings,
      bookmarked = item.bookmarked,
      written_with = #batch,
    }
  end
  return parts
end

-- A file written under another name and renamed, so that it is whole once it is there.
local function write_whole(path, text)
  local file = assert(io.open(path .. ".part", "wb"))
  file:write(text)
  file:close()
  assert(os.rename(path .. ".part", path))
end

-- The request's "early" format (when it names one, with a file) is written for every chapter
-- first, into that file (JSON: one text a chapter): the book PDF's Typst sets the chapters from
-- it while this process writes the other formats. With "each" (a path's beginning), each
-- chapter's text also goes to a file of its own (EACH and the chapter's place in the request:
-- the text as written) as soon as it is written: Typst's child sets the chapters in turn as
-- they come (book_pdf.set_streamed). Each chapter is read just before its early text is written.
local early = request.early and request.early.name or nil
local each = request.early and request.early.each or nil
local reads, answers = {}, {}
local function read(index)
  reads[index] = pandoc.read(request.chapters[index], request.reader, { abbreviations = abbreviations })
end
for index in ipairs(request.chapters) do
  answers[index] = {}
end
if early then
  local texts = {}
  for _, format in ipairs(formats) do
    if format.spec.name == early then
      for index, markdown in ipairs(request.chapters) do
        read(index)
        answers[index][early] = converted(format, reads[index], markdown)
        texts[index] = answers[index][early]
        if each then
          write_whole(each .. index, texts[index])
        end
      end
    end
  end
  write_whole(request.early.path, pandoc.json.encode(texts))
end
for index in ipairs(request.chapters) do
  if reads[index] == nil then
    read(index)
  end
end
local batches = {}
local function write_batch(format)
  local batch = batches[format.spec.name] or {}
  batches[format.spec.name] = {}
  local parts = #batch > 1 and docx_batch_parts(format, batch) or nil
  for position, item in ipairs(batch) do
    answers[item.index][format.spec.name] = parts and parts[position]
      or written_part(format, item.read, item.doc, item.markdown)
  end
end
for index, markdown in ipairs(request.chapters) do
  for _, format in ipairs(formats) do
    local name = format.spec.name
    if name ~= early then
      local read = reads[index]
      local doc, plain = filtered(format, read, markdown)
      if format.spec.writer == "docx" and docx_batchable(doc, markdown, plain) then
        local headings, bookmarked = heading_ids(read, doc)
        batches[name] = batches[name] or {}
        table.insert(batches[name], {
          index = index,
          doc = doc,
          headings = headings,
          bookmarked = bookmarked,
          markdown = markdown,
          -- kept only to write the chapter alone should the batch fail
          read = read,
        })
        if #batches[name] == DOCX_BATCH then
          write_batch(format)
        end
      else
        answers[index][name] = written_part(format, read, doc, markdown)
      end
    end
  end
  reads[index] = nil
  -- Each element a filter or a walk handed to Lua holds a pointer into pandoc's heap until
  -- Lua collects it: collected after each chapter, they leave pandoc's collector less to keep
  -- (about 13 MB less resident memory a process on the 300,000-word benchmark).
  collectgarbage()
end
for _, format in ipairs(formats) do
  write_batch(format)
end
io.write(pandoc.json.encode(answers))

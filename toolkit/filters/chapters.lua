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
local function docx_part(written, read, doc, format)
  local archive = pandoc.zip.Archive(written)
  local part, media = {}, {}
  local wanted = {
    ["word/document.xml"] = "document",
    ["word/footnotes.xml"] = "footnotes",
    ["word/numbering.xml"] = "numbering",
    ["word/_rels/document.xml.rels"] = "rels",
    ["[Content_Types].xml"] = "types",
    ["word/styles.xml"] = "styles",
    ["word/comments.xml"] = "comments",
  }
  local order = {}
  for _, item in ipairs(archive.entries) do
    table.insert(order, item.path)
    if wanted[item.path] then
      part[wanted[item.path]] = item:contents()
    elseif item.path:sub(1, 11) == "word/media/" then
      table.insert(media, { item.path:sub(6), pandoc.utils.sha1(item:contents()) })
    end
  end
  local name = format.spec.name
  if empty_styles[name] == nil then
    local empty = pandoc.Pandoc({}, doc.meta)
    local blank = pandoc.zip.Archive(pandoc.write(empty, format.spec.writer, format.spec.options))
    for _, item in ipairs(blank.entries) do
      if item.path == "word/styles.xml" then
        empty_styles[name] = item:contents()
      end
    end
  end
  if part.styles == empty_styles[name] then
    part.styles = ""
  end
  part.media = media
  part.order = order
  -- The headings' identifiers as read (the reader makes them unique in the whole book), and
  -- those of the headings written (each a section's bookmark).
  local headings, bookmarked = {}, {}
  read:walk({ Header = function(header) table.insert(headings, header.identifier) end })
  doc:walk({ Header = function(header)
    if header.identifier ~= "" then
      table.insert(bookmarked, header.identifier)
    end
  end })
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

-- One format's text of a chapter (its filters run over a copy of what was read).
local function converted(format, read, markdown)
  local doc = read:clone()
  for key, value in pairs(format.spec.meta) do
    doc.meta[key] = value
  end
  for _, filter in ipairs(format.filters) do
    if wanted(filter.when, markdown) then
      doc = doc:walk(filter.walk)
    end
  end
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

-- The request's "early" format (when it names one, with a file) is written for every chapter
-- first, into that file (JSON: one text a chapter, written under another name and renamed, so
-- it is whole once it is there): the book PDF's Typst sets the chapters from it while this
-- process writes the other formats.
local early = request.early and request.early.name or nil
local reads, answers = {}, {}
for index, markdown in ipairs(request.chapters) do
  reads[index] = pandoc.read(markdown, request.reader, { abbreviations = abbreviations })
  answers[index] = {}
end
if early then
  local texts = {}
  for _, format in ipairs(formats) do
    if format.spec.name == early then
      for index, markdown in ipairs(request.chapters) do
        answers[index][early] = converted(format, reads[index], markdown)
        texts[index] = answers[index][early]
      end
    end
  end
  local path = request.early.path
  local file = assert(io.open(path .. ".part", "wb"))
  file:write(pandoc.json.encode(texts))
  file:close()
  assert(os.rename(path .. ".part", path))
end
for index, markdown in ipairs(request.chapters) do
  for _, format in ipairs(formats) do
    if format.spec.name ~= early then
      answers[index][format.spec.name] = converted(format, reads[index], markdown)
    end
  end
  reads[index] = nil
end
io.write(pandoc.json.encode(answers))

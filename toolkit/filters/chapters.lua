-- fabula: every chapter of a book converted as a document of its own, all in one pandoc process.
--
-- Run as `pandoc lua chapters.lua < request.json` by toolkit/render/chapters.py. The request
-- names pandoc's reader, the formats (each with its writer, Lua filters, metadata and writer
-- options) and the chapters: each its Markdown and the images it shows (as written -> the file
-- fabula found, which pandoc reads from nowhere else). Each chapter is read once, then for each format its
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
-- filters), else the element functions it defines as globals. FORMAT is the writer's name.
local function load_filters(path, format)
  local env = setmetatable({ FORMAT = format }, { __index = _G })
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

local formats = {}
for _, format in ipairs(request.formats) do
  local filters = {}
  for _, path in ipairs(format.filters) do
    for _, filter in ipairs(load_filters(path, format.writer)) do
      table.insert(filters, filter)
    end
  end
  table.insert(formats, { spec = format, filters = filters })
end

local answers = {}
local function media_type(path)
  local suffix = path:lower():match("%.(%w+)$") or ""
  local types = { png = "image/png", jpg = "image/jpeg", jpeg = "image/jpeg", gif = "image/gif", svg = "image/svg+xml" }
  return types[suffix]
end

for _, chapter in ipairs(request.chapters) do
  pandoc.mediabag.empty()
  for _, image in ipairs(chapter.images) do
    local file = io.open(image[2], "rb")
    if file ~= nil then
      pandoc.mediabag.insert(image[1], media_type(image[2]), file:read("a"))
      file:close()
    end
  end
  local read = pandoc.read(chapter.markdown, request.reader)
  local answer = {}
  for _, format in ipairs(formats) do
    local doc = read:clone()
    for key, value in pairs(format.spec.meta) do
      doc.meta[key] = value
    end
    for _, filter in ipairs(format.filters) do
      doc = doc:walk(filter)
    end
    local written = pandoc.write(doc, format.spec.writer, format.spec.options)
    if format.spec.writer == "epub3" then
      answer[format.spec.name] = epub_part(written)
    else
      answer[format.spec.name] = written
    end
  end
  table.insert(answers, answer)
end
io.write(pandoc.json.encode(answers))

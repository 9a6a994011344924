-- fabula: the book reads only what fabula checked, and its raw HTML can neither run nor fetch.
--
-- Images: fabula has checked every image the chapters name (inside the project, links
-- followed) and hands this filter the list, as JSON in the file FABULA_IMAGES names: written
-- as -> the file. An image on the list is read from that file; any other (outside the project,
-- missing, a web address) is replaced by its description, so pandoc reads no other file.
--
-- Raw HTML (EPUB only; the other writers drop it): kept as what it means, never as markup.
-- Each fragment is read by pandoc's own HTML reader into the document (a <b> pair becomes
-- bold, <br> a line break, <img> an image, checked as above), so the XHTML pandoc writes is
-- always well formed; <script>, <iframe>, forms, media and the like, and comments, are left
-- out; "on..." event attributes and javascript: addresses go. EPUBCheck accepts the result.

local images = {}
local listed = os.getenv("FABULA_IMAGES")
if listed and listed ~= "" then
  local file = io.open(listed, "r")
  if file then
    images = pandoc.json.decode(file:read("a"), false)
    file:close()
  end
end

local DROPPED = {}
for name in ([[script style iframe frame frameset object embed applet form input button select
  option optgroup textarea label fieldset legend datalist output link meta base noscript template
  slot svg math canvas audio video source track param portal dialog head html body title]]):gmatch("%S+") do
  DROPPED[name] = true
end
local VOID = { br = true, img = true, hr = true, wbr = true, area = true, col = true }

local function is_html(raw)
  return raw.format == "html" or raw.format == "html5" or raw.format == "html4"
end

-- The tag a fragment starts with: its name (lower case), and whether it closes ("</b>").
local function tag_of(text)
  local closing, name = text:match("^%s*<(/?)%s*([%a][%w%-]*)")
  if not name then
    return nil, false
  end
  return name:lower(), closing == "/"
end

local function unescaped(address)
  return (address:gsub("%%(%x%x)", function(hex)
    return string.char(tonumber(hex, 16))
  end))
end

local accepted = {} -- files already put in an image's place: a second walk leaves them

local function checked_image(image)
  if accepted[image.src] then
    return nil
  end
  local file = images[image.src] or images[unescaped(image.src)]
  if file then
    accepted[file] = true
    image.src = file
    return image
  end
  return image.caption
end

local function safe_attributes(element)
  local changed = false
  local keys = {}
  for key, _ in pairs(element.attributes) do
    keys[#keys + 1] = key
  end
  for _, key in ipairs(keys) do
    if key:lower():match("^on") then
      element.attributes[key] = nil
      changed = true
    end
  end
  if element.target and element.target:lower():match("^%s*javascript:") then
    element.target = ""
    changed = true
  end
  return changed and element or nil
end

-- A fragment of raw HTML as document content, read by pandoc's HTML reader (no raw HTML left).
local function as_content(text)
  return pandoc.read(text, "html-raw_html").blocks
end

local function dropped(text)
  if text:match("^%s*<!") then -- a comment (the writer's private note) or a doctype
    return true
  end
  local name = tag_of(text)
  return name ~= nil and DROPPED[name] == true
end

-- Where the raw tag at ``index`` closes in the same list of inlines (matching by name and
-- nesting), or nil; a note in between ends the search (its content is a document of its own).
local function closing_index(inlines, index, name)
  local depth = 1
  for at = index + 1, #inlines do
    local other = inlines[at]
    if other.t == "Note" then
      return nil
    end
    if other.t == "RawInline" and is_html(other) then
      local other_name, other_closing = tag_of(other.text)
      if other_name == name then
        depth = depth + (other_closing and -1 or 1)
        if depth == 0 then
          return at
        end
      end
    end
  end
  return nil
end

-- First pass: pairs of raw inline tags (<b>...</b>, <span class="x">...</span>) read together
-- with what they enclose, so that the pair keeps its meaning (bold, a small-caps span); a
-- dropped element (<style>...</style>, <form>...</form>) goes with what it encloses.
local function paired(inlines)
  local result = pandoc.Inlines({})
  local index = 1
  while index <= #inlines do
    local item = inlines[index]
    local name, closing = nil, false
    if item.t == "RawInline" and is_html(item) and not item.text:match("^%s*<!") then
      name, closing = tag_of(item.text)
    end
    local close = nil
    if name and not closing and not VOID[name] and not item.text:match("/%s*>%s*$") then
      close = closing_index(inlines, index, name)
    end
    if close and DROPPED[name] then
      index = close + 1
    elseif close then
      local inner = pandoc.Inlines({})
      for k = index + 1, close - 1 do
        inner:insert(inlines[k])
      end
      local html = item.text .. pandoc.write(pandoc.Pandoc({ pandoc.Plain(inner) }), "html") .. inlines[close].text
      result:extend(pandoc.utils.blocks_to_inlines(as_content(html)))
      index = close + 1
    else
      result:insert(item)
      index = index + 1
    end
  end
  return result
end

local html_output = FORMAT:match("html") or FORMAT:match("epub")

-- Raw HTML in an HTML or EPUB book, read into the document (a dropped element: nothing);
-- nil leaves any other raw text as it is.
local function raw_html(raw)
  if not is_html(raw) or not html_output then
    return nil
  end
  if dropped(raw.text) then
    return {}
  end
  return as_content(raw.text)
end

local second = {
  Image = checked_image,
  Link = safe_attributes,
  Span = safe_attributes,
  Div = safe_attributes,
  Code = safe_attributes,
  CodeBlock = safe_attributes,
  Header = safe_attributes,
  RawInline = function(raw)
    local blocks = raw_html(raw)
    return blocks and pandoc.utils.blocks_to_inlines(blocks)
  end,
  RawBlock = raw_html,
}

-- The content that raw HTML became goes through the same checks (its images, its attributes).
local function sanitized(doc)
  return doc:walk(second):walk({ Image = checked_image, Link = safe_attributes, Span = safe_attributes, Div = safe_attributes })
end

if html_output then
  return {
    { Inlines = paired },
    { Pandoc = sanitized },
  }
end
return { { Pandoc = sanitized } }

-- fabula: the opening words of each chapter in small capitals, as printed novels set them.
-- Typst (like CSS) has no "first line" to style, so the filter takes the first few words of
-- the first paragraph after every level-1 heading, stopping early at emphasis or a note.

local WORDS = 4

local function opening(para)
  local caps = pandoc.List()
  local words = 0
  local index = 1
  while index <= #para.content do
    local item = para.content[index]
    if item.t == "Str" then
      words = words + 1
    elseif item.t ~= "Space" then
      break
    end
    if item.t == "Space" and words >= WORDS then
      break
    end
    caps:insert(item)
    index = index + 1
  end
  if words == 0 then
    return nil
  end
  local rest = pandoc.List({ pandoc.SmallCaps(caps) })
  for i = index, #para.content do
    rest:insert(para.content[i])
  end
  return pandoc.Para(rest)
end

function Pandoc(doc)
  local after_chapter = false
  for i, block in ipairs(doc.blocks) do
    if block.t == "Header" and block.level == 1 then
      after_chapter = true
    elseif after_chapter and block.t == "Para" then
      doc.blocks[i] = opening(block) or block
      after_chapter = false
    elseif block.t ~= "Header" then
      after_chapter = false
    end
  end
  return doc
end

"""Built-in examples of messages no shop knowledge base answers.

A small knowledge base has too few phrasings for the classifier to learn where its FAQs end, so
every message lands on some FAQ with middling confidence. When a tenant gives fewer than
`SMALL_KB_PHRASINGS` phrasings, these generic off-topic messages join its negatives (the
negative class): the classifier learns a "none of these" region, and the calibrator
learns from them that a low dense similarity means "not covered".
"""

from __future__ import annotations

SMALL_KB_PHRASINGS = 200

GENERIC_NEGATIVES = (
    "what's the weather like tomorrow",
    "tell me a joke",
    "who won the football match last night",
    "what is the capital of australia",
    "how do I bake sourdough bread",
    "what is 17 times 23",
    "recommend a good movie",
    "sing me a song",
    "what time is it in new york",
    "who is the president of france",
    "how tall is mount everest",
    "translate hello into spanish",
    "what's the meaning of life",
    "play some jazz music",
    "how many calories in an apple",
    "set an alarm for 7 am",
    "what's the latest news",
    "write me a poem about the sea",
    "how do airplanes fly",
    "purple monkey dishwasher",
    "asdfgh qwerty",
    "the cat sat on the mat",
    "do you like pizza",
    "what is your favourite colour",
    "explain quantum physics",
    "明天天气怎么样",
    "给我讲个笑话",
    "昨晚的足球比赛谁赢了",
    "澳大利亚的首都是哪里",
    "红烧肉怎么做",
    "十七乘以二十三等于多少",
    "推荐一部好看的电影",
    "给我唱首歌",
    "纽约现在几点",
    "珠穆朗玛峰有多高",
    "你好用英语怎么说",
    "人生的意义是什么",
    "放一首周杰伦的歌",
    "一个苹果有多少卡路里",
    "帮我定个早上七点的闹钟",
    "今天有什么新闻",
    "写一首关于大海的诗",
    "飞机为什么能飞",
    "紫色的大象在月亮上跳舞",
    "啊啊啊啊啊",
    "猫坐在垫子上",
    "你喜欢吃披萨吗",
    "你最喜欢什么颜色",
    "解释一下量子力学",
    "股票明天会涨吗",
)

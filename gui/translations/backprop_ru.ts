<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>ExerciseDialog</name>
    <message>
        <source>Make Exercise Variants</source>
        <translation>Варианты задачи</translation>
    </message>
    <message>
        <source>values</source>
        <translation>значения</translation>
    </message>
    <message>
        <source>gradients</source>
        <translation>градиенты</translation>
    </message>
    <message>
        <source>updates</source>
        <translation>обновления</translation>
    </message>
    <message>
        <source>how many variants, each with its own numbers</source>
        <translation>сколько вариантов, у каждого свои числа</translation>
    </message>
    <message>
        <source>the same seed draws the same variants again</source>
        <translation>с тем же зерном получаются те же варианты</translation>
    </message>
    <message>
        <source>0: one forward and backward pass and its update; K: K SGD steps</source>
        <translation>0 — один прямой и обратный проход и обновление параметров; K — K шагов SGD</translation>
    </message>
    <message>
        <source>exact answers have at most this many decimals; others round to it</source>
        <translation>в точных ответах не больше стольких знаков после запятой; остальные округляются до них</translation>
    </message>
    <message>
        <source>HTML pages</source>
        <translation>HTML-страницы</translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Вариантов</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Зерно</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>SGD steps</source>
        <translation>Шагов SGD</translation>
    </message>
    <message>
        <source>Decimals</source>
        <translation>Знаков после запятой</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Записать</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Папка</translation>
    </message>
    <message>
        <source>Choose an output folder and at least one format.</source>
        <translation>Выберите папку и хотя бы один формат.</translation>
    </message>
    <message>
        <source>exact answers</source>
        <translation>ответы точные</translation>
    </message>
    <message>
        <source>answers rounded to {decimals} decimals</source>
        <translation>ответы округлены, знаков после запятой: {decimals}</translation>
    </message>
    <message>
        <source>Wrote {count} variants ({how}) to {folder}.</source>
        <translation>Записано вариантов: {count} ({how}), папка: {folder}.</translation>
    </message>
</context>
<context>
    <name>ModelInterop</name>
    <message>
        <source>Export as PyTorch code</source>
        <translation>Экспорт в код PyTorch</translation>
    </message>
    <message>
        <source>Python script</source>
        <translation>Скрипт Python</translation>
    </message>
    <message>
        <source>Export as ONNX model</source>
        <translation>Экспорт в модель ONNX</translation>
    </message>
    <message>
        <source>ONNX model</source>
        <translation>Модель ONNX</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Модели</translation>
    </message>
    <message>
        <source>PyTorch module</source>
        <translation>Модуль PyTorch</translation>
    </message>
    <message>
        <source>Cannot export the graph</source>
        <translation>Не удалось экспортировать граф</translation>
    </message>
    <message>
        <source>exported {path}</source>
        <translation>экспортирован файл {path}</translation>
    </message>
    <message>
        <source>Import a PyTorch module</source>
        <translation>Импорт модуля PyTorch</translation>
    </message>
    <message>
        <source>Class name in the file:</source>
        <translation>Имя класса в файле:</translation>
    </message>
    <message>
        <source>Run this file?</source>
        <translation>Выполнить этот файл?</translation>
    </message>
    <message>
        <source>Importing {file} runs the Python code in it, as running the file would. Only do this with files you trust. Continue?</source>
        <translation>При импорте {file} выполняется код Python из этого файла — так же, как при его запуске. Делайте это только с файлами, которым доверяете. Продолжить?</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>Импорт модели</translation>
    </message>
    <message>
        <source>Cannot import the model</source>
        <translation>Не удалось импортировать модель</translation>
    </message>
    <message>
        <source>{file} (imported)</source>
        <translation>{file} (импорт)</translation>
    </message>
    <message>
        <source>imported {path}</source>
        <translation>импортирован файл {path}</translation>
    </message>
</context>
<context>
    <name>RnnDialog</name>
    <message>
        <source>Build Unrolled &amp;RNN…</source>
        <translation>Построить &amp;развёрнутую RNN…</translation>
    </message>
    <message>
        <source>relu</source>
        <translation>ReLU</translation>
    </message>
    <message>
        <source>leaky_relu</source>
        <translation>Leaky ReLU</translation>
    </message>
    <message>
        <source>elu</source>
        <translation>ELU</translation>
    </message>
    <message>
        <source>selu</source>
        <translation>SELU</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>сигмоида</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>softplus</source>
        <translation>Softplus</translation>
    </message>
    <message>
        <source>mish</source>
        <translation>Mish</translation>
    </message>
    <message>
        <source>gelu</source>
        <translation>GELU</translation>
    </message>
    <message>
        <source>identity</source>
        <translation>без активации</translation>
    </message>
    <message>
        <source>mse</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>bce</source>
        <translation>бинарная кросс-энтропия</translation>
    </message>
    <message>
        <source>Build Unrolled RNN</source>
        <translation>Построить развёрнутую RNN</translation>
    </message>
    <message>
        <source>h_t = f(h_{t−1}·W + x_t·V), ŷ_t = g(h_t·U), L = Σ_t loss(ŷ_t, y_t).
W, V and U are one node each, shared by every time step: each weight&apos;s gradient
is the sum of the contributions of all steps (backprop through time).</source>
        <translation>h_t = f(h_{t−1}·W + x_t·V), ŷ_t = g(h_t·U), L = Σ_t ℓ(ŷ_t, y_t), где ℓ — функция потерь.
W, V и U — по одному узлу, общему для всех шагов по времени: градиент каждого веса —
сумма вкладов всех шагов (обратное распространение во времени, BPTT).</translation>
    </message>
    <message>
        <source>T: the number of time steps the network is unrolled over</source>
        <translation>T — число шагов по времени, на которое развёрнута сеть</translation>
    </message>
    <message>
        <source>the size of each input x_t</source>
        <translation>размер каждого входа x_t</translation>
    </message>
    <message>
        <source>the size of the hidden state h_t</source>
        <translation>размер скрытого состояния h_t</translation>
    </message>
    <message>
        <source>the size of each output ŷ_t and target y_t</source>
        <translation>размер каждого выхода ŷ_t и целевого значения y_t</translation>
    </message>
    <message>
        <source>biases b (hidden) and c (output)</source>
        <translation>смещения b (скрытый слой) и c (выход)</translation>
    </message>
    <message>
        <source>all weights start at one constant</source>
        <translation>инициализировать все веса одной константой</translation>
    </message>
    <message>
        <source>the seed of W&apos;s Xavier init; V and U take seed + 1 and + 2</source>
        <translation>зерно инициализации Xavier для W; у V и U — зерно + 1 и + 2</translation>
    </message>
    <message>
        <source>Time steps T</source>
        <translation>Шагов по времени T</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>Размер входа</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>Размер скрытого слоя</translation>
    </message>
    <message>
        <source>Output size</source>
        <translation>Размер выхода</translation>
    </message>
    <message>
        <source>Hidden activation f</source>
        <translation>Активация скрытого слоя f</translation>
    </message>
    <message>
        <source>Output activation g</source>
        <translation>Активация выхода g</translation>
    </message>
    <message>
        <source>Loss per step</source>
        <translation>Функция потерь на шаге</translation>
    </message>
    <message>
        <source>Constant weight</source>
        <translation>Значение константы</translation>
    </message>
    <message>
        <source>Xavier seed</source>
        <translation>Зерно Xavier</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Скорость обучения</translation>
    </message>
    <message>
        <source>The &quot;{loss}&quot; loss needs probabilities: choose the output activation &quot;{activation}&quot;.</source>
        <translation>Функции потерь «{loss}» нужны вероятности: выберите активацию выхода «{activation}».</translation>
    </message>
    <message>
        <source>About {nodes} nodes.</source>
        <translation>Узлов: около {nodes}.</translation>
    </message>
    <message>
        <source> A graph this large is slow to draw and to step through; the command line is quicker.</source>
        <translation> Такой большой граф долго рисуется и медленно проходится по шагам; в командной строке быстрее.</translation>
    </message>
    <message>
        <source>Cannot build the RNN</source>
        <translation>Не удалось построить RNN</translation>
    </message>
    <message>
        <source>unrolled RNN, T = {T} (new)</source>
        <translation>развёрнутая RNN, T = {T} (новая)</translation>
    </message>
    <message>
        <source>built an RNN unrolled over {T} steps</source>
        <translation>построена RNN, развёрнутая по времени (T = {T})</translation>
    </message>
    <message>
        <source>Build a recurrent network unrolled over T time steps, weights shared across steps</source>
        <translation>Построить рекуррентную сеть, развёрнутую на T шагов по времени, с общими для всех шагов весами</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
</context>
<context>
    <name>StepPanel</name>
    <message>
        <source>forward pass</source>
        <translation>прямой проход</translation>
    </message>
    <message>
        <source>backward pass</source>
        <translation>обратный проход</translation>
    </message>
    <message>
        <source>done</source>
        <translation>готово</translation>
    </message>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>LaTeX</source>
        <translation>LaTeX</translation>
    </message>
    <message>
        <source>HTML page</source>
        <translation>HTML-страница</translation>
    </message>
    <message>
        <source>Step ▶</source>
        <translation>Шаг ▶</translation>
    </message>
    <message>
        <source>Compute the next node&apos;s value</source>
        <translation>Вычислить значение следующего узла</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ Назад</translation>
    </message>
    <message>
        <source>Undo the last step</source>
        <translation>Отменить последний шаг</translation>
    </message>
    <message>
        <source>Forward ▶▶</source>
        <translation>Вперёд ▶▶</translation>
    </message>
    <message>
        <source>Run to the end of the forward pass</source>
        <translation>Пройти прямой проход до конца</translation>
    </message>
    <message>
        <source>∂ Step</source>
        <translation>∂ Шаг</translation>
    </message>
    <message>
        <source>Backward one node: the chain rule</source>
        <translation>На один узел назад: цепное правило</translation>
    </message>
    <message>
        <source>∂ Run ◀◀</source>
        <translation>∂ До конца ◀◀</translation>
    </message>
    <message>
        <source>Run the whole backward pass</source>
        <translation>Пройти весь обратный проход</translation>
    </message>
    <message>
        <source>Apply update</source>
        <translation>Обновить параметры</translation>
    </message>
    <message>
        <source>w ← w − η·∂L/∂w for every parameter</source>
        <translation>w ← w − η·∂L/∂w для каждого параметра</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Сбросить</translation>
    </message>
    <message>
        <source>Back to the start of stepping</source>
        <translation>Вернуться к началу пошагового прохода</translation>
    </message>
    <message>
        <source>Export worked solution…</source>
        <translation>Экспортировать решение…</translation>
    </message>
    <message>
        <source>Write the whole trace as Markdown with maths or as LaTeX</source>
        <translation>Записать всё решение в Markdown с формулами или в LaTeX</translation>
    </message>
    <message>
        <source>Check my answer (before the next step)</source>
        <translation>Проверить себя (до следующего шага)</translation>
    </message>
    <message>
        <source>e.g. 2  or  1 0  or  1 0; 2 0</source>
        <translation>напр. 2  или  1 0  или  1 0; 2 0</translation>
    </message>
    <message>
        <source>An answer is right when |answer − value| ≤ tolerance · max(1, |value|)</source>
        <translation>Ответ верен, если |ответ − значение| ≤ допуск · max(1, |значение|)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <source>tolerance</source>
        <translation>допуск</translation>
    </message>
    <message>
        <source>Learning rate for Apply update and the worked solution</source>
        <translation>Скорость обучения для «Обновить параметры» и для решения</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>шагов:</translation>
    </message>
    <message>
        <source>SGD steps in the worked solution (0: one forward and backward pass)</source>
        <translation>Шагов SGD в решении (0 — один прямой и один обратный проход)</translation>
    </message>
    <message>
        <source>Cannot step: {error}</source>
        <translation>Пошаговый проход невозможен: {error}</translation>
    </message>
    <message>
        <source>Numeric problem: {error}</source>
        <translation>Ошибка вычислений: {error}</translation>
    </message>
    <message>
        <source>Apply update (η = {lr})</source>
        <translation>Обновление параметров (η = {lr})</translation>
    </message>
    <message>
        <source>The new values are in the document (undo with Ctrl+Z). Step again to see the next pass.</source>
        <translation>Новые значения записаны в граф (отменить — Ctrl+Z). Чтобы увидеть следующий проход, снова идите по шагам.</translation>
    </message>
    <message>
        <source>Symbolically:</source>
        <translation>В общем виде:</translation>
    </message>
    <message>
        <source>Not stepping. Press Step (F10) to compute the first node.</source>
        <translation>Пошаговый проход не начат. Нажмите «Шаг» (F10), чтобы вычислить первый узел.</translation>
    </message>
    <message>
        <source>Step through the graph one node at a time: the forward pass computes each node&apos;s value, the backward pass each edge&apos;s gradient by the chain rule.</source>
        <translation>Пройдите граф по одному узлу за шаг: прямой проход вычисляет значение каждого узла, обратный — градиент по каждому ребру по цепному правилу.</translation>
    </message>
    <message>
        <source>Step {done} of {total} · {phase}</source>
        <translation>Шаг {done} из {total} · {phase}</translation>
    </message>
    <message>
        <source> · next: {node}</source>
        <translation> · далее: {node}</translation>
    </message>
    <message>
        <source>Session: {score}</source>
        <translation>За сеанс: {score}</translation>
    </message>
    <message>
        <source>Export worked solution</source>
        <translation>Экспорт решения</translation>
    </message>
    <message>
        <source>Worked solution: {file}</source>
        <translation>Решение: {file}</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>Записан файл {path}</translation>
    </message>
    <message>
        <source>total over every path</source>
        <translation>сумма по всем путям</translation>
    </message>
    <message>
        <source>Step Through</source>
        <translation>Пошаговый проход</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>ActivationPlot</name>
    <message>
        <source>Choose an activation node (here or on the canvas) to see its f(z) and f′(z), with the pre-activations z of the dataset&apos;s rows as points.</source>
        <translation>Выберите узел активации (здесь или на холсте), чтобы увидеть его f(z) и f′(z); точки — взвешенные суммы z по наблюдениям из набора данных.</translation>
    </message>
    <message>
        <source>This graph has no activation node (ReLU, tanh, sigmoid, …): add one to see its f(z) and f′(z) here, with the pre-activations z of the dataset&apos;s rows as points.</source>
        <translation>В этом графе нет узла активации (ReLU, tanh, сигмоида, …): добавьте его, чтобы увидеть здесь f(z) и f′(z) и точки — взвешенные суммы z по наблюдениям из набора данных.</translation>
    </message>
    <message>
        <source>The activation node shown (selecting one on the canvas chooses it too)</source>
        <translation>Показанный узел активации (его можно выбрать и на холсте)</translation>
    </message>
    <message>
        <source>node</source>
        <translation>узел</translation>
    </message>
    <message>
        <source>The points are the pre-activations z of the dataset&apos;s rows (every unit of every row); f′ ≈ 0 means |f′(z)| &lt; {flat}: such a unit passes almost no gradient back for that row.</source>
        <translation>Точки — взвешенные суммы z по наблюдениям из набора данных (каждый нейрон каждого наблюдения); f′ ≈ 0 значит |f′(z)| &lt; {flat}: такой нейрон почти не пропускает градиент назад для этого наблюдения.</translation>
    </message>
    <message>
        <source>{op} is not an elementwise function of one input</source>
        <translation>{op} — не поэлементная функция одного входа</translation>
    </message>
</context>
<context>
    <name>BoundaryPlot</name>
    <message>
        <source>The decision boundary appears here for a graph whose dataset input has one or two features: the output over the input plane, the points on top, and each hidden unit&apos;s own map.</source>
        <translation>Здесь появится разделяющая граница, если у входа с набором данных один или два признака: выход сети на плоскости входов, поверх него точки наблюдений и карта каждого скрытого нейрона.</translation>
    </message>
    <message>
        <source>misclassified ({wrong} of {total})</source>
        <translation>неверно классифицированы ({wrong} из {total})</translation>
    </message>
    <message>
        <source>{output} over the plane, white at {level}</source>
        <translation>{output} на плоскости (белым — уровень {level})</translation>
    </message>
    <message>
        <source>class 0</source>
        <translation>класс 0</translation>
    </message>
    <message>
        <source>class 1</source>
        <translation>класс 1</translation>
    </message>
    <message>
        <source>{node} unit {k}</source>
        <translation>{node}: нейрон {k}</translation>
    </message>
</context>
<context>
    <name>DiagnosticPlots</name>
    <message>
        <source>Compute</source>
        <translation>Вычислить</translation>
    </message>
</context>
<context>
    <name>GradNormPlot</name>
    <message>
        <source>The gradient norm ‖∂L/∂θ‖ of each parameter will appear here, one line per parameter and a point per update, when training starts.</source>
        <translation>Когда начнётся обучение, здесь появится норма градиента ‖∂L/∂θ‖ каждого параметра: по линии на параметр и по точке на шаг.</translation>
    </message>
</context>
<context>
    <name>GradientFlowPlot</name>
    <message>
        <source>The parameter whose values&apos; and gradients&apos; histograms are shown over time</source>
        <translation>Параметр, гистограммы значений и градиентов которого показаны по ходу обучения</translation>
    </message>
    <message>
        <source>The gradient norms of each parameter appear here while training.</source>
        <translation>Во время обучения здесь появятся нормы градиентов каждого параметра.</translation>
    </message>
    <message>
        <source>update</source>
        <translation>шаг</translation>
    </message>
    <message>
        <source>values of {name}</source>
        <translation>значения {name}</translation>
    </message>
    <message>
        <source>gradients of {name}</source>
        <translation>градиенты {name}</translation>
    </message>
    <message>
        <source>snapshot (over the training)</source>
        <translation>ход обучения</translation>
    </message>
</context>
<context>
    <name>LandscapePlot</name>
    <message>
        <source>The loss around the current weights (41×41 points)</source>
        <translation>Функция потерь вокруг текущих весов (сетка 41×41)</translation>
    </message>
    <message>
        <source>The loss around the current weights appears here: press Compute.</source>
        <translation>Здесь появится функция потерь вокруг текущих весов: нажмите «Вычислить».</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>training path</source>
        <translation>путь обучения</translation>
    </message>
    <message>
        <source>current weights</source>
        <translation>текущие веса</translation>
    </message>
    <message>
        <source>α (direction 1)</source>
        <translation>α (направление 1)</translation>
    </message>
    <message>
        <source>β (direction 2)</source>
        <translation>β (направление 2)</translation>
    </message>
    <message>
        <source>log₁₀ loss: {low} … {high}</source>
        <translation>log₁₀ функции потерь: {low} … {high}</translation>
    </message>
</context>
<context>
    <name>LiveDiagnostics</name>
    <message>
        <source>Boundary</source>
        <translation>Граница</translation>
    </message>
    <message>
        <source>Landscape</source>
        <translation>Ландшафт</translation>
    </message>
    <message>
        <source>LR range test</source>
        <translation>Подбор скорости обучения</translation>
    </message>
    <message>
        <source>Gradient flow</source>
        <translation>Поток градиентов</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <source>loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>The loss will appear here when training starts (Train ▸ ▶ Start): the loss of each update as a thin line, the mean loss of each epoch as a thick one.</source>
        <translation>Когда начнётся обучение (Обучение ▸ ▶ Пуск), здесь появится функция потерь: тонкой линией — на каждом шаге, толстой — средняя за эпоху.</translation>
    </message>
    <message>
        <source>loss of each update (last {value})</source>
        <translation>функция потерь на каждом шаге (последнее: {value})</translation>
    </message>
    <message>
        <source>mean loss of each epoch (last {value})</source>
        <translation>средняя функция потерь за эпоху (последнее: {value})</translation>
    </message>
    <message>
        <source>test loss after each epoch (last {value})</source>
        <translation>функция потерь на тестовой выборке после каждой эпохи (последнее: {value})</translation>
    </message>
    <message>
        <source>{mean_loss} after update {update} ({value})</source>
        <translation>{mean_loss} после шага {update} ({value})</translation>
    </message>
    <message>
        <source>{run}: loss of each update</source>
        <translation>{run}: функция потерь на каждом шаге</translation>
    </message>
</context>
<context>
    <name>PlotPanel</name>
    <message>
        <source>Export the plot as a PNG image</source>
        <translation>Сохранить график как изображение PNG</translation>
    </message>
    <message>
        <source>Export the plotted data as CSV</source>
        <translation>Сохранить данные графика в CSV</translation>
    </message>
    <message>
        <source>Export the plot as PNG</source>
        <translation>Сохранить график в PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Изображение PNG (*.png)</translation>
    </message>
</context>
<context>
    <name>RangeTestPlot</name>
    <message>
        <source>Train from the current weights with a growing rate (the weights are restored)</source>
        <translation>Обучать от текущих весов с растущей скоростью обучения (веса затем восстанавливаются)</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>скорость обучения</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>функция потерь</translation>
    </message>
    <message>
        <source>The learning-rate range test appears here: press Compute.</source>
        <translation>Здесь появится функция потерь при растущей скорости обучения: нажмите «Вычислить».</translation>
    </message>
    <message>
        <source>loss of each update</source>
        <translation>функция потерь на каждом шаге</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>сглаженная</translation>
    </message>
    <message>
        <source>suggested rate {rate}</source>
        <translation>рекомендуемая скорость {rate}</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>log scale</source>
        <translation>логарифмическая шкала</translation>
    </message>
    <message>
        <source>update</source>
        <translation>шаг</translation>
    </message>
    <message>
        <source>no pre-activations yet: the dataset&apos;s rows give them (points on the curves)</source>
        <translation>взвешенных сумм пока нет: их дают наблюдения из набора данных (точки на кривых)</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 наблюдение</translation>
    </message>
    <message>
        <source>1 unit</source>
        <translation>1 нейрон</translation>
    </message>
    <message>
        <source>{flat} of 1 pre-activation ({shape}) where f′ ≈ 0 (|f′(z)| &lt; {limit})</source>
        <translation>{flat} из 1 взвешенной суммы ({shape}) с f′ ≈ 0 (|f′(z)| &lt; {limit})</translation>
    </message>
    <message numerus="yes">
        <source>%n rows</source>
        <translation>
            <numerusform>%n наблюдение</numerusform>
            <numerusform>%n наблюдения</numerusform>
            <numerusform>%n наблюдений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n units</source>
        <translation>
            <numerusform>%n нейрон</numerusform>
            <numerusform>%n нейрона</numerusform>
            <numerusform>%n нейронов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{flat} of %n pre-activations ({shape}) where f′ ≈ 0 (|f′(z)| &lt; {limit})</source>
        <translation>
            <numerusform>{flat} из %n взвешенной суммы ({shape}) с f′ ≈ 0 (|f′(z)| &lt; {limit})</numerusform>
            <numerusform>{flat} из %n взвешенных сумм ({shape}) с f′ ≈ 0 (|f′(z)| &lt; {limit})</numerusform>
            <numerusform>{flat} из %n взвешенных сумм ({shape}) с f′ ≈ 0 (|f′(z)| &lt; {limit})</numerusform>
        </translation>
    </message>
</context>
</TS>
